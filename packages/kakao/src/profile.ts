import { SocialAuthError, parseProfileJson, type SocialProfile } from '@socialauth/core/provider';

/** `GET /v2/user/me`. Only consented items appear. */
export interface KakaoUser {
  /** A 64-bit integer: read from the body text, never through a JavaScript number. */
  id: string;
  connected_at?: string;
  properties?: { nickname?: string; profile_image?: string; thumbnail_image?: string };
  kakao_account?: {
    profile_needs_agreement?: boolean;
    profile?: {
      nickname?: string;
      thumbnail_image_url?: string;
      profile_image_url?: string;
      is_default_image?: boolean;
    };
    /** True when the user declined the email item. */
    email_needs_agreement?: boolean;
    is_email_valid?: boolean;
    is_email_verified?: boolean;
    email?: string;
    name?: string;
  };
}

// Quotes every `"id": <integer>` before JSON.parse sees it, so no id ever becomes a double.
// Inside JSON strings the quote before `id` would be escaped (\"id\"), so this cannot match there.
const INTEGER_ID = /("id"\s*:\s*)(-?\d+)/g;

function parseUser(raw: unknown): KakaoUser {
  const text = typeof raw === 'string' ? raw.replace(INTEGER_ID, '$1"$2"') : raw;
  const user = parseProfileJson(text, 'Kakao');
  const id = user.id;
  if (typeof id === 'number' && !Number.isSafeInteger(id)) {
    throw new SocialAuthError(
      'profile_fetch_failed',
      'Kakao id lost precision: pass the body text',
    );
  }
  if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '') {
    throw new SocialAuthError('profile_fetch_failed', 'Kakao returned a profile without id');
  }
  return { ...(user as Omit<KakaoUser, 'id'>), id: String(id) };
}

/**
 * Maps Kakao's `/v2/user/me` body (text, to keep 64-bit ids exact) to the shared shape. The email
 * counts as verified only when Kakao says it is both valid and verified.
 *
 * @example
 * ```ts
 * toProfile('{"id":9007199254740993}').id; // '9007199254740993'
 * ```
 */
export function toProfile(raw: unknown): SocialProfile {
  const user = parseUser(raw);
  const account = user.kakao_account ?? {};
  const nickname = account.profile?.nickname ?? user.properties?.nickname;
  return {
    provider: 'kakao',
    id: user.id,
    email: account.email,
    emailVerified:
      account.email !== undefined &&
      account.is_email_valid === true &&
      account.is_email_verified === true,
    name: account.name ?? nickname,
    nickname,
    avatarUrl: account.profile?.profile_image_url ?? user.properties?.profile_image,
    raw: user,
  };
}

/** Kakao's API error body: `{"msg":"this access token does not exist","code":-401}`. */
export function kakaoError(status: number | undefined, answer: unknown): string {
  const body = answer as Record<string, unknown> | undefined;
  if (!body) return `Kakao answered ${status ?? 'nothing'}`;
  return `Kakao answered ${String(body.code).slice(0, 8)}: ${String(body.msg).slice(0, 200)}`;
}
