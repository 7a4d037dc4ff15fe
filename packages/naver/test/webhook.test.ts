// Naver's unlink notification (연결 끊기 알림), naver/naver-openapi-guide
// ko/login/devguide/devguide.md §4.4: each notification below is built here from the guide's
// rules (not with the package's code), and naver().webhook must accept exactly the genuine ones.
// The end-to-end path, with the emulator's notification over HTTP, is in
// packages/core/test/webhooks.test.ts.
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { SocialAuthError } from '@socialauth/core';
import { type WebhookRequest } from '@socialauth/core/provider';
import { naver, WEBHOOK_MAX_SKEW_MS } from '../src';

const CLIENT_ID = 'jyvqXeaVOVmV';
const SECRET = '527300A0_COq1_XV33cf';
const UNIQUE_ID = 'q5Ts4VqV9rF0gHjzX2mCP8w3Kl1NnYdEe7Ab-Zx_Qo';
const { webhook } = naver({ clientId: CLIENT_ID, clientSecret: SECRET });

// §4.4.2 / §4.4.3: the key is byte.subarray(md5(CLIENT_SECRET), 0, 16).
const keyOf = (secret: string) => createHash('md5').update(secret).digest().subarray(0, 16);

type Notification = Record<'clientId' | 'encryptUniqueId' | 'timestamp' | 'signature', string>;

function notification(
  overrides: {
    secret?: string;
    clientId?: string;
    at?: number;
    id?: string;
    alphabet?: 'base64';
  } = {},
): Notification {
  const key = keyOf(overrides.secret ?? SECRET);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  const raw = Buffer.concat([iv, cipher.update(overrides.id ?? UNIQUE_ID), cipher.final()]);
  const encryptUniqueId = raw.toString(overrides.alphabet ?? 'base64url');
  const clientId = overrides.clientId ?? CLIENT_ID;
  const timestamp = String(Math.floor((overrides.at ?? Date.now()) / 1000));
  const signature = createHmac('sha256', key)
    .update(`clientId=${clientId}&encryptUniqueId=${encryptUniqueId}&timestamp=${timestamp}`)
    .digest('base64url');
  return { clientId, encryptUniqueId, timestamp, signature };
}

const post = (
  body: Record<string, string>,
  query: Record<string, string> = {},
): WebhookRequest => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body,
  query,
});
const refusal = (request: WebhookRequest) => {
  try {
    webhook!(request);
  } catch (err) {
    return err instanceof SocialAuthError ? err.code : `not a SocialAuthError: ${String(err)}`;
  }
  return 'accepted';
};

test('a genuine notification decrypts to the profile id and is acknowledged 204', async () => {
  expect(await webhook!(post(notification()))).toEqual({
    event: 'unlink',
    subject: UNIQUE_ID,
    ackStatus: 204,
    // The signature names the notification: core acts on each once.
    id: expect.stringMatching(/^[\w-]{43}$/),
  });
  // The guide's sample request puts the parameters in the request line: read from there too.
  expect(await webhook!(post({}, notification()))).toMatchObject({ subject: UNIQUE_ID });
  // Apache Commons' decodeBase64 (the guide's decoder) reads the standard alphabet as well.
  expect(await webhook!(post(notification({ alphabet: 'base64' })))).toMatchObject({
    subject: UNIQUE_ID,
  });
  // An old app's INT64 id.
  expect(await webhook!(post(notification({ id: '123456789012' })))).toMatchObject({
    subject: '123456789012',
  });
});

test('a wrong signature, client, secret or a missing field is webhook_invalid', () => {
  const genuine = notification();
  const cases: Partial<Notification>[] = [
    { ...genuine, signature: genuine.signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) },
    { ...genuine, signature: '' },
    { ...genuine, timestamp: String(Number(genuine.timestamp) - 1) },
    { ...genuine, encryptUniqueId: notification().encryptUniqueId },
    notification({ clientId: 'another-client' }),
    notification({ secret: 'another-secret' }),
  ];
  for (const field of Object.keys(genuine) as (keyof Notification)[]) {
    const { [field]: _gone, ...rest } = genuine;
    cases.push(rest);
  }
  for (const body of cases)
    expect(refusal(post(body as Record<string, string>))).toBe('webhook_invalid');
  expect(refusal({ ...post(genuine), method: 'GET' })).toBe('webhook_invalid');
});

test('a signed notification replayed later, or dated in the future, is webhook_invalid', () => {
  const margin = 30_000;
  expect(refusal(post(notification({ at: Date.now() - WEBHOOK_MAX_SKEW_MS + margin })))).toBe(
    'accepted',
  );
  expect(refusal(post(notification({ at: Date.now() - WEBHOOK_MAX_SKEW_MS - margin })))).toBe(
    'webhook_invalid',
  );
  expect(refusal(post(notification({ at: Date.now() + WEBHOOK_MAX_SKEW_MS + margin })))).toBe(
    'webhook_invalid',
  );
});

test('a genuinely signed but undecryptable id is invalid_request', () => {
  const key = keyOf(SECRET);
  const timestamp = String(Math.floor(Date.now() / 1000));
  for (const encryptUniqueId of ['', 'AAAA', randomBytes(40).toString('base64url')]) {
    const signature = createHmac('sha256', key)
      .update(`clientId=${CLIENT_ID}&encryptUniqueId=${encryptUniqueId}&timestamp=${timestamp}`)
      .digest('base64url');
    expect(refusal(post({ clientId: CLIENT_ID, encryptUniqueId, timestamp, signature }))).toBe(
      'invalid_request',
    );
  }
});
