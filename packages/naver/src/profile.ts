import { SocialAuthError, parseProfileJson, type SocialProfile } from '@socialauth/core/provider';

/** `GET /v1/nid/me`: Naver wraps the profile and reports errors in `resultcode`. */
export interface NaverProfileResponse {
  /** `"00"` on success; `"024"` authentication failed, `"028"` no token, ... */
  resultcode: string;
  message: string;
  response?: NaverProfile;
}

/** The profile items; every one but `id` is missing when the user declined it. */
export interface NaverProfile {
  /** Per-app id: base64-like (apps since 2021-05) or INT64 digits (older apps). */
  id: string;
  nickname?: string;
  name?: string;
  /** A contact address Naver does not vouch for: never treated as verified. */
  email?: string;
  gender?: 'F' | 'M' | 'U';
  /** An age band such as `"40-49"`. */
  age?: string;
  /** `"MM-DD"`. */
  birthday?: string;
  birthyear?: string;
  profile_image?: string;
  mobile?: string;
}

/**
 * Maps Naver's profile response (body text or parsed JSON) to the shared shape. A `resultcode`
 * other than `"00"` is `profile_fetch_failed` with Naver's message, whatever the HTTP status.
 *
 * @example
 * ```ts
 * toProfile('{"resultcode":"00","message":"success","response":{"id":"abc"}}').id; // 'abc'
 * ```
 */
export function toProfile(raw: unknown): SocialProfile {
  const body = parseProfileJson(raw, 'Naver') as Partial<NaverProfileResponse>;
  if (body.resultcode !== '00') {
    throw new SocialAuthError('profile_fetch_failed', naverError(body));
  }
  const profile = body.response;
  if (!profile || typeof profile.id !== 'string' || profile.id === '') {
    throw new SocialAuthError('profile_fetch_failed', 'Naver returned a profile without id');
  }
  return {
    provider: 'naver',
    id: profile.id,
    email: profile.email,
    emailVerified: false,
    name: profile.name,
    nickname: profile.nickname,
    avatarUrl: profile.profile_image,
    raw: body,
  };
}

/** Naver's `resultcode` and `message`, cut short, for a log line. */
export function naverError(body: Partial<NaverProfileResponse>): string {
  return `Naver answered ${String(body.resultcode).slice(0, 8)}: ${String(body.message).slice(0, 200)}`;
}

/** The items of Naver's consent screen, by their names in `/v1/nid/me` (profile.md). */
export const NAVER_ITEMS = [
  'nickname',
  'name',
  'email',
  'gender',
  'age',
  'birthday',
  'birthyear',
  'profile_image',
  'mobile',
] as const;

/**
 * What a Naver sign-in was granted: Naver's token response names no scopes, and a declined item
 * is missing from the profile, so the granted "scopes" are the items the profile carries. Those
 * are the values to list in `moreScopes.naver` and `requireScopes('naver', ...)`.
 *
 * @example
 * ```ts
 * grantedItems({ profile: toProfile(body) }); // ['email', 'nickname']
 * ```
 */
export function grantedItems(answer: { profile: SocialProfile }): string[] {
  const raw = answer.profile.raw as Partial<NaverProfileResponse> | undefined;
  const profile = raw?.response as Record<string, unknown> | undefined;
  return NAVER_ITEMS.filter((item) => typeof profile?.[item] === 'string' && profile[item] !== '');
}
