/**
 * The key a verified email is matched on when a new identity may join an existing user: the
 * address with its ASCII letters lower-cased, nothing else changed.
 *
 * Not `toLowerCase()` and not NFKC: both fold characters that are not case variants of ASCII
 * (KELVIN SIGN U+212A becomes `k`, ANGSTROM SIGN U+212B `å`, and NFKC maps many more), so
 * `\u212Aim@example.com` would join the owner of `kim@example.com`, an account takeover through
 * an address the attacker can register. Look-alikes (UTS #39 confusables: Cyrillic `к`, Greek
 * `ο`) then stay different addresses, as they are to a mail server. Internationalized addresses
 * (RFC 6531) still link, when the provider sends them as they were stored; their non-ASCII
 * letters are compared as given, so `Åsa@` and `åsa@` do not join: a missed link can be
 * connected by hand, a wrong one cannot be undone. Every account store keys its email index with
 * this function.
 *
 * @example
 * ```ts
 * emailKey('Kim@Example.COM'); // 'kim@example.com'
 * emailKey('\u212Aim@example.com'); // unchanged: never equal to 'kim@example.com'
 * ```
 */
export function emailKey(email: string): string {
  return email.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}
