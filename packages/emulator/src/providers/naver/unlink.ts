import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type { Notification } from '../../unlink-notify';
import type { EmulatorClient } from '../../types';

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
  const key = createHash('md5')
    .update(client.clientSecret ?? '', 'utf8')
    .digest()
    .subarray(0, 16);
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
