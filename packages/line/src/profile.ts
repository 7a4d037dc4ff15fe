import { SocialAuthError, parseProfileJson, type SocialProfile } from '@socialauth/core/provider';

/** The claims of LINE's ID token (developers.line.biz, "Verify ID token", checked 2026-12-07). */
export interface LineIdTokenClaims {
  /** The user ID, `U` and 32 hex digits; it "can't be changed". */
  sub: string;
  name?: string;
  picture?: string;
  /** Only with the `email` scope, which the channel must be granted in the console. */
  email?: string;
}

/**
 * Maps LINE's verified ID token to the shared profile. LINE does not say it verified the email
 * (there is no `email_verified`), so it is never marked verified.
 *
 * @example
 * ```ts
 * toProfile({ sub: 'U4af4980629a1b2c3d4e5f60718293a4b', name: '김민지' });
 * ```
 */
export function toProfile(raw: unknown): SocialProfile {
  const claims = parseProfileJson(raw, 'LINE') as Partial<LineIdTokenClaims>;
  if (typeof claims.sub !== 'string' || claims.sub === '') {
    throw new SocialAuthError('profile_fetch_failed', 'LINE sent an ID token without sub');
  }
  const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    provider: 'line',
    id: claims.sub,
    email: str(claims.email),
    emailVerified: false,
    name: str(claims.name),
    avatarUrl: str(claims.picture),
    raw: claims,
  };
}
