// The client secret as Apple defines it ("Creating a client secret", checked 2026-12-07), and the
// start-up checks of what makes it.
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { socialAuth } from '@socialauth/core';
import { SECRET_LIFETIME_SECONDS, apple, clientSecrets, readPrivateKey } from '../src';

const { privateKey: PEM } = DEFAULT_CLIENTS.apple;
const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

test('an ES256 JWT: kid, iss = team, sub = client, aud = appleid, an hour; verifies with the key', () => {
  let now = Date.UTC(2026, 11, 7, 12, 0, 0);
  const key = readPrivateKey(PEM);
  if (typeof key === 'string') throw new Error(key);
  const secret = clientSecrets({ teamId: 'TEAM123456', keyId: 'KEY1234567', key, now: () => now });
  const jwt = secret('com.example.web');
  const [h, p, s] = jwt.split('.') as [string, string, string];
  expect(decode(h)).toEqual({ alg: 'ES256', kid: 'KEY1234567' });
  const iat = now / 1000;
  expect(decode(p)).toEqual({
    iss: 'TEAM123456',
    iat,
    exp: iat + SECRET_LIFETIME_SECONDS,
    aud: 'https://appleid.apple.com',
    sub: 'com.example.web',
  });
  expect(SECRET_LIFETIME_SECONDS).toBeLessThanOrEqual(15_777_000);
  const signature = Buffer.from(s, 'base64url');
  expect(signature).toHaveLength(64); // JWS: r || s, not DER (RFC 7518 §3.4)
  const pub = createPublicKey(key);
  expect(
    verify('sha256', Buffer.from(`${h}.${p}`), { key: pub, dsaEncoding: 'ieee-p1363' }, signature),
  ).toBe(true);

  // Kept while it has time left, per client; renewed before it runs out.
  now += 30 * 60_000;
  expect(secret('com.example.web')).toBe(jwt);
  expect(decode(secret('com.example.app').split('.')[1]!).sub).toBe('com.example.app');
  now += 26 * 60_000;
  const renewed = secret('com.example.web');
  expect(renewed).not.toBe(jwt);
  expect(decode(renewed.split('.')[1]!).iat).toBe(now / 1000);
});

test('the .p8 key as it reaches an app: escaped newlines and the bare body are read', () => {
  expect(typeof readPrivateKey(PEM)).toBe('object');
  expect(typeof readPrivateKey(PEM!.replace(/\n/g, '\\n'))).toBe('object');
  const body = PEM!
    .split('\n')
    .filter((line) => line && !line.startsWith('-----'))
    .join('');
  expect(typeof readPrivateKey(body)).toBe('object');
});

test('a missing, unreadable or non-P-256 key fails at start-up naming the field and the fix', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const start = (options: Parameters<typeof apple>[0]) => () =>
    socialAuth({
      baseURL: 'http://localhost:3000',
      secret: 'test-session-secret-0123456789abcdef',
      providers: [apple(options)],
    });
  expect(start({ clientId: 'com.example.web' })).toThrow(
    /teamId is required; set APPLE_TEAM_ID[\s\S]*keyId is required; set APPLE_KEY_ID[\s\S]*privateKey is required; set APPLE_PRIVATE_KEY/,
  );
  const base = { clientId: 'com.example.web', teamId: 'T', keyId: 'K' };
  expect(start({ ...base, privateKey: 'not a key' })).toThrow(
    /privateKey is not a PEM private key/,
  );
  expect(start({ ...base, privateKey: rsa })).toThrow(/privateKey is not an ECDSA P-256 key/);
  expect(start({ ...base, privateKey: PEM })).not.toThrow();
  // The error names fields, never the key's text.
  try {
    start({ clientId: 'x', privateKey: rsa })();
  } catch (err) {
    expect(String(err)).not.toContain(rsa.split('\n')[1]);
  }
});

test('with NODE_ENV=production the emulator’s team and key are refused', () => {
  const was = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    const issues = apple({ ...DEFAULT_CLIENTS.apple })
      .validate()
      .map((i) => i.field);
    expect(issues).toEqual(expect.arrayContaining(['clientId', 'teamId', 'keyId']));
  } finally {
    process.env.NODE_ENV = was;
  }
});
