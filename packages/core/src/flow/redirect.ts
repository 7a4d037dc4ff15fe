/** RFC 9700 §4.11: an open redirector lets an attacker bounce users (and codes) anywhere. */
const MAX_LENGTH = 2048;
// Backslash, ASCII control characters, and any whitespace (browsers strip or reinterpret them).
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\\\u0000-\u001f\u007f\s]/u;
// Encoded slash, backslash or control character: decoded again somewhere downstream, they
// turn a path into `//host` or split a header.
const FORBIDDEN_ENCODINGS = /%(2f|5c|[01][0-9a-f]|7f)/i;
const PROBE_BASES = ['http://socialauth.invalid', 'https://socialauth.invalid'] as const;

/** Where a post-login redirect may go besides this site. */
export interface RedirectPolicy {
  /** This site's origin (from `baseURL`). */
  origin: string;
  /** Other origins allowed as absolute targets, e.g. `https://admin.example.com`. */
  allowedOrigins: readonly string[];
}

function parse(value: string, base?: string): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

/**
 * Decides whether `value` (typically `req.query.next`) is a safe place to send the user after
 * login. Returns the normalized target, or `undefined` when it must fall back to the default.
 *
 * Accepted: a same-site path (`/x?y#z`), or an absolute http(s) URL whose origin is this site's or
 * an allow-listed one. Everything else is refused: arrays and objects, > 2 KB, `//host`, `/\host`,
 * schemes such as `javascript:`, credentials in the URL, whitespace, control characters,
 * backslashes and their percent-encodings.
 *
 * @example
 * ```ts
 * safeRedirect('/dashboard', { origin: 'https://app.example.com', allowedOrigins: [] }); // '/dashboard'
 * safeRedirect('//evil.com', { origin: 'https://app.example.com', allowedOrigins: [] }); // undefined
 * ```
 */
export function safeRedirect(value: unknown, policy: RedirectPolicy): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH)
    return undefined;
  if (FORBIDDEN_CHARS.test(value) || FORBIDDEN_ENCODINGS.test(value)) return undefined;

  if (value.startsWith('/')) {
    if (value.startsWith('//')) return undefined;
    // The path must stay on the probe origin whichever scheme the page was served with, and
    // must not normalize into a protocol-relative `//host` (`/..//evil.com`).
    let normalized: string | undefined;
    for (const base of PROBE_BASES) {
      const url = parse(value, base);
      if (!url || url.origin !== base || url.pathname.startsWith('//')) return undefined;
      normalized = url.pathname + url.search + url.hash;
    }
    return normalized;
  }

  const url = parse(value);
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return undefined;
  if (url.username || url.password) return undefined;
  if (url.origin !== policy.origin && !policy.allowedOrigins.includes(url.origin)) return undefined;
  return url.href;
}
