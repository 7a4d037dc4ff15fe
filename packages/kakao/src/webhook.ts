import {
  SocialAuthError,
  safeEqual,
  webhookParam,
  type WebhookEvent,
  type WebhookRequest,
} from '@socialauth/core/provider';

// developers.kakao.com/docs/latest/ko/kakaologin/callback (연결 끊기 웹훅): the header carries
// the primary admin key; the scheme is matched case-insensitively (RFC 9110 §11.1).
const KAKAO_AK = /^KakaoAK +(\S+) *$/i;

/**
 * Kakao's unlink webhook (연결 끊기 웹훅): `app_id`, `user_id` (the 회원번호 `toProfile` gives as
 * `id`), `referrer_type`, and `Authorization: KakaoAK <primary admin key>`. There is no signature:
 * the admin key is the whole proof, compared in constant time. Kakao counts only 200 as delivered.
 */
export function verifyUnlink(
  request: WebhookRequest,
  adminKey: string,
  appId: string | undefined,
): WebhookEvent {
  const header = request.headers.authorization;
  const sent = KAKAO_AK.exec(typeof header === 'string' ? header : '')?.[1];
  if (sent === undefined || !safeEqual(sent, adminKey)) {
    throw new SocialAuthError('webhook_invalid', 'Kakao webhook without the admin key');
  }
  if (appId !== undefined && webhookParam(request, 'app_id') !== appId) {
    throw new SocialAuthError('webhook_invalid', 'Kakao webhook for another app_id');
  }
  const userId = webhookParam(request, 'user_id');
  if (userId === undefined || !/^\d{1,20}$/.test(userId)) {
    throw new SocialAuthError('invalid_request', 'Kakao webhook without a user_id');
  }
  return { event: 'unlink', subject: userId, ackStatus: 200 };
}
