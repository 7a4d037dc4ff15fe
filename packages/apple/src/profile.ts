import { SocialAuthError, parseProfileJson, type SocialProfile } from '@socialauth/core/provider';

/**
 * The claims of Apple's ID token that make the profile (developer.apple.com, "Authenticating users
 * with Sign in with Apple" and the `id_token` reference, checked 2026-12-07). Apple has no
 * userinfo endpoint: this is all it says about the user, and the name is not in it.
 */
export interface AppleIdTokenClaims {
  /** The user's permanent id for this team's apps. */
  sub: string;
  email?: string;
  /** A boolean or the string `"true"` / `"false"`: Apple documents both. */
  email_verified?: boolean | string;
  /** Whether `email` is a private relay address; a boolean or a string, like `email_verified`. */
  is_private_email?: boolean | string;
  /** 0 unsupported, 1 unknown, 2 likely real (native apps only). */
  real_user_status?: number;
  nonce?: string;
  nonce_supported?: boolean;
}

// Apple's relay domains ("Communicating using the private email relay service", 2026-12-07):
// private.icloud.com for new addresses, privaterelay.appleid.com for older ones. `is_private_email`
// is the claim that says so; the domain is the fallback when a token leaves the claim out.
const RELAY_DOMAINS = ['@private.icloud.com', '@privaterelay.appleid.com'];

/** Apple's booleans arrive as JSON booleans or as the strings "true" / "false". */
function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

/**
 * Maps Apple's verified ID token claims (an object, or its JSON) to the shared profile. A relay
 * address is kept, and flagged `emailIsRelay`.
 *
 * @example
 * ```ts
 * toProfile({ sub: '001234.abcd.0123', email: 'x@privaterelay.appleid.com', email_verified: 'true', is_private_email: 'true' });
 * // { provider: 'apple', id: '001234.abcd.0123', email: 'x@…', emailVerified: true, emailIsRelay: true, raw: {…} }
 * ```
 */
export function toProfile(raw: unknown): SocialProfile {
  const claims = parseProfileJson(raw, 'Apple') as Partial<AppleIdTokenClaims>;
  if (typeof claims.sub !== 'string' || claims.sub === '') {
    throw new SocialAuthError('profile_fetch_failed', 'Apple sent an ID token without sub');
  }
  const email = typeof claims.email === 'string' && claims.email !== '' ? claims.email : undefined;
  const lower = email?.toLowerCase();
  const relay =
    email !== undefined &&
    (flag(claims.is_private_email) || RELAY_DOMAINS.some((d) => lower!.endsWith(d)));
  return {
    provider: 'apple',
    id: claims.sub,
    email,
    emailVerified: email !== undefined && flag(claims.email_verified),
    ...(relay && { emailIsRelay: true }),
    raw: claims,
  };
}

// Names written family name first, without a space: Hangul, and Han or kana (Chinese, Japanese).
const FAMILY_FIRST = /^[\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+$/u;

/**
 * The display name in Apple's `user` (the form field of the first authorization's callback, or
 * what a native app received as `fullName`): `{ "name": { "firstName", "lastName" } }`, an
 * object or its JSON. Korean, Chinese and Japanese names read family name first (김민지);
 * others given name first (Minji Kim). `undefined` for anything malformed: never throws.
 *
 * @example
 * ```ts
 * nameFromUser('{"name":{"firstName":"민지","lastName":"김"},"email":"m@example.com"}'); // '김민지'
 * nameFromUser({ name: { firstName: 'Minji', lastName: 'Kim' } }); // 'Minji Kim'
 * ```
 */
export function nameFromUser(user: unknown): string | undefined {
  let value: unknown = user;
  if (typeof value === 'string') {
    if (value.length > 4096) return undefined;
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const name = (value as { name?: unknown } | null | undefined)?.name;
  if (typeof name !== 'object' || name === null) return undefined;
  const part = (key: 'firstName' | 'lastName') => {
    const text = (name as Record<string, unknown>)[key];
    return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
  };
  const given = part('firstName');
  const family = part('lastName');
  if (given && family) {
    return FAMILY_FIRST.test(given + family) ? `${family}${given}` : `${given} ${family}`;
  }
  return given ?? family;
}
