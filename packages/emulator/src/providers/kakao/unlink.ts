import type { Notification } from '../../unlink-notify';
import type { EmulatorClient } from '../../types';

/**
 * Why the user unlinked (Kakao's `referrer_type`, developers.kakao.com/docs/latest/ko/kakaologin/callback).
 *
 * @example
 * ```ts
 * await emulator.sendUnlink('kakao', { to, user, referrerType: 'ACCOUNT_DELETE' });
 * ```
 */
export type KakaoReferrerType =
  | 'UNLINK_FROM_APPS'
  | 'ACCOUNT_DELETE'
  | 'FORCED_ACCOUNT_DELETE'
  | 'UNLINK_FROM_ADMIN'
  | 'INCOMPLETE_SIGN_UP';

/**
 * Kakao's unlink webhook (연결 끊기 웹훅): `app_id`, `user_id`, `referrer_type` in the body and the
 * app's primary admin key as `Authorization: KakaoAK <key>`. Kakao sends it by the method the app
 * registered (GET or POST); the emulator POSTs a form.
 */
export function kakaoUnlink(
  client: Readonly<EmulatorClient>,
  userId: string,
  referrerType: KakaoReferrerType,
): Notification {
  if (!client.adminKey || !client.appId) {
    throw new TypeError('the Kakao client needs adminKey and appId to send an unlink webhook');
  }
  return {
    headers: { Authorization: `KakaoAK ${client.adminKey}` },
    body: new URLSearchParams({
      app_id: client.appId,
      user_id: userId,
      referrer_type: referrerType,
    }),
  };
}
