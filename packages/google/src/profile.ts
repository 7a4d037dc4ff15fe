import { SocialAuthError, parseProfileJson, type SocialProfile } from '@socialauth/core/provider';

/** Google's OpenID Connect userinfo response. */
export interface GoogleUserInfo {
  /** Permanent account id; up to 255 ASCII characters. */
  sub: string;
  email?: string;
  /** Whether Google verified `email`. */
  email_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  /** Avatar URL. */
  picture?: string;
  /** Workspace domain, absent for consumer accounts. */
  hd?: string;
  locale?: string;
}

function parse(raw: unknown): GoogleUserInfo {
  const info = parseProfileJson(raw, 'Google') as Partial<GoogleUserInfo>;
  if (typeof info.sub !== 'string' || info.sub === '') {
    throw new SocialAuthError('profile_fetch_failed', 'Google returned a profile without sub');
  }
  return info as GoogleUserInfo;
}

/**
 * Maps Google's userinfo (body text or parsed JSON) to the shared profile shape.
 *
 * @example
 * ```ts
 * toProfile({ sub: '1', email: 'a@example.com', email_verified: true }).emailVerified; // true
 * ```
 */
export function toProfile(raw: unknown): SocialProfile {
  const info = parse(raw);
  return {
    provider: 'google',
    id: info.sub,
    email: info.email,
    emailVerified: info.email !== undefined && info.email_verified === true,
    name: info.name,
    avatarUrl: info.picture,
    raw: info,
  };
}
