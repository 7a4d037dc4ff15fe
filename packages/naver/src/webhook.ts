import { createDecipheriv, createHash, createHmac } from 'node:crypto';
import {
  SocialAuthError,
  safeEqual,
  webhookParam,
  type WebhookEvent,
  type WebhookRequest,
} from '@socialauth/core/provider';

/**
 * How far a notification's `timestamp` may be from now. Naver documents no window; it signs the
 * timestamp and never retries, so a short one costs nothing and stops a captured call from being
 * replayed later (after the user linked again).
 */
export const WEBHOOK_MAX_SKEW_MS = 5 * 60 * 1000;

/**
 * Naver's unlink notification (연결 끊기 알림, naver/naver-openapi-guide
 * ko/login/devguide/devguide.md §4.4): a form POST of `clientId`, `encryptUniqueId`, `timestamp`
 * (epoch seconds) and `signature`, answered 204. The key of both the signature and the
 * encryption is the first 16 bytes of MD5(client secret), Naver's choice (§4.4.2, §4.4.3):
 * - `signature` = URL-safe base64 (no padding) of HmacSHA256 over
 *   `clientId=<clientId>&encryptUniqueId=<encryptUniqueId>&timestamp=<timestamp>`;
 * - `encryptUniqueId` = base64(iv(16) + AES-128-CBC/PKCS5(the profile `id`)).
 */
export function verifyUnlink(
  request: WebhookRequest,
  clientId: string,
  clientSecret: string,
  now = Date.now(),
): WebhookEvent {
  const sentClientId = webhookParam(request, 'clientId');
  const encrypted = webhookParam(request, 'encryptUniqueId');
  const timestamp = webhookParam(request, 'timestamp');
  const signature = webhookParam(request, 'signature');
  if (
    request.method !== 'POST' ||
    sentClientId === undefined ||
    encrypted === undefined ||
    timestamp === undefined ||
    signature === undefined
  ) {
    throw new SocialAuthError('webhook_invalid', 'Naver notification without its fields');
  }
  const key = createHash('md5').update(clientSecret, 'utf8').digest().subarray(0, 16);
  const expected = createHmac('sha256', key)
    .update(`clientId=${clientId}&encryptUniqueId=${encrypted}&timestamp=${timestamp}`, 'utf8')
    .digest('base64url');
  // Checked together, so a forged call learns nothing from which check failed.
  const signed = safeEqual(signature.replace(/=+$/, ''), expected);
  if (!signed || sentClientId !== clientId) {
    throw new SocialAuthError('webhook_invalid', 'Naver notification with a wrong signature');
  }
  if (
    !/^\d{1,12}$/.test(timestamp) ||
    Math.abs(now - Number(timestamp) * 1000) > WEBHOOK_MAX_SKEW_MS
  ) {
    throw new SocialAuthError('webhook_invalid', 'Naver notification too old or from the future');
  }
  return {
    event: 'unlink',
    subject: decryptUniqueId(encrypted, key),
    ackStatus: 204,
    // Signed over all of its fields: a replay carries the same signature. (It is refused after
    // WEBHOOK_MAX_SKEW_MS anyway; within it, core acts on each notification once.)
    id: expected,
  };
}

function decryptUniqueId(encrypted: string, key: Buffer): string {
  // Naver encodes URL-safe; Node's base64 decoder reads both alphabets.
  const raw = Buffer.from(encrypted, 'base64');
  const body = raw.subarray(16);
  if (body.length === 0 || body.length % 16 !== 0) {
    throw new SocialAuthError('invalid_request', 'Naver notification with a malformed id');
  }
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, raw.subarray(0, 16));
    const id = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    if (id !== '') return id;
  } catch {
    // a bad padding: reported below
  }
  throw new SocialAuthError('invalid_request', 'Naver notification with a malformed id');
}
