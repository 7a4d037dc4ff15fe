import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type { EmulatorClient } from './types';

/** A notification to POST to an app, in the provider's wire format. */
export interface Notification {
  headers: Record<string, string>;
  /** `application/x-www-form-urlencoded`. */
  body: URLSearchParams;
}

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

/**
 * Naver's unlink notification (연결 끊기 알림, naver/naver-openapi-guide
 * ko/login/devguide/devguide.md §4.4): `clientId`, `encryptUniqueId` (base64url of a random IV
 * and the AES-128-CBC/PKCS#5 encryption of the user's per-app id), `timestamp` (epoch seconds)
 * and `signature` (base64url HmacSHA256 over `clientId=…&encryptUniqueId=…&timestamp=…`), both
 * keyed with the first 16 bytes of MD5(client secret).
 */
export function naverUnlink(
  client: Readonly<EmulatorClient>,
  uniqueId: string,
  nowMs: number,
): Notification {
  const key = createHash('md5').update(client.clientSecret, 'utf8').digest().subarray(0, 16);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  const encryptUniqueId = Buffer.concat([
    iv,
    cipher.update(uniqueId, 'utf8'),
    cipher.final(),
  ]).toString('base64url');
  const timestamp = String(Math.floor(nowMs / 1000));
  const signature = createHmac('sha256', key)
    .update(
      `clientId=${client.clientId}&encryptUniqueId=${encryptUniqueId}&timestamp=${timestamp}`,
      'utf8',
    )
    .digest('base64url');
  return {
    headers: {},
    body: new URLSearchParams({ clientId: client.clientId, encryptUniqueId, timestamp, signature }),
  };
}

/** POSTs the notification to the app; resolves to the app's status. */
export async function deliver(to: string, notification: Notification): Promise<number> {
  const res = await fetch(to, {
    method: 'POST',
    headers: {
      ...notification.headers,
      'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8',
    },
    body: notification.body.toString(),
    redirect: 'manual', // neither provider follows redirects
    signal: AbortSignal.timeout(3000), // Kakao's documented limit
  });
  await res.arrayBuffer();
  return res.status;
}
