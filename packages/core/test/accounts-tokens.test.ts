// The token vault: encrypted at rest, refreshed once under concurrency, re-consent on invalid_grant.
import Redis from 'ioredis';
import { SocialAuthError, redisAccounts, type AccountStore } from '../src';
import { TokenVault } from '../src/tokens/vault';
import {
  advanceClock,
  me,
  signInAs,
  startAccountsHarness,
  type AccountsHarness,
  startRedis,
} from '@socialauth/testkit';

const HOUR = 60 * 60 * 1000;
let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

let h: AccountsHarness;
let store: AccountStore;
beforeEach(async () => {
  store = redisAccounts({ url: redis.url, prefix: `tokens${Date.now()}:` });
  h = await startAccountsHarness(store);
  // A route of the app: calls a provider API with the stored token, answers only the status.
  h.app.get('/api/profile', async (req, res) => {
    try {
      const url = `${h.emulator.origin}${String(req.query.path)}`;
      const answer = await req.socialAuth.fetch(String(req.query.provider), url);
      res.json({ status: answer.status });
    } catch (err) {
      res.json({ error: (err as SocialAuthError).code });
    }
  });
});
afterEach(async () => {
  jest.useRealTimers();
  await h.close();
  await store.close?.();
});

const advance = advanceClock;

const profileCall = (provider: string, path: string) =>
  h.agent
    .get(`/api/profile?provider=${provider}&path=${encodeURIComponent(path)}`)
    .set('Accept', 'application/json');

test('a raw Redis read shows no token in clear', async () => {
  await signInAs(h, 'google', '200000000000000000002');
  const client = new Redis(redis.url);
  try {
    const dump: string[] = [];
    for (const key of await client.keys('*')) {
      const type = await client.type(key);
      if (type === 'hash') dump.push(JSON.stringify(await client.hgetall(key)));
      else if (type === 'string') dump.push((await client.get(key)) ?? '');
      else if (type === 'zset') dump.push((await client.zrange(key, 0, -1)).join(','));
      else if (type === 'list') dump.push((await client.lrange(key, 0, -1)).join(','));
      else if (type === 'set') dump.push((await client.smembers(key)).join(','));
    }
    const text = dump.join('\n');
    expect(text).toContain('v1.'); // the sealed blob is there
    for (const shape of ['ya29.', '1//0', 'eyJ', 'access_token', 'refresh'])
      expect(text).not.toContain(shape);
  } finally {
    client.disconnect();
  }
});

describe('req.socialAuth', () => {
  test('10 concurrent calls on an expired token make exactly one refresh call', async () => {
    await signInAs(h, 'google', '200000000000000000002');
    expect((await profileCall('google', '/v1/userinfo')).body).toEqual({ status: 200 });
    expect(h.emulator.count('google', 'token')).toBe(1);
    advance(2 * HOUR);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => profileCall('google', '/v1/userinfo')),
    );
    expect(results.map((r) => r.body.status)).toEqual(Array(10).fill(200));
    expect(h.emulator.count('google', 'token')).toBe(2);
  });

  test.each([
    ['naver', 'minji', '/v1/nid/me'],
    ['kakao', '9007199254740997', '/v2/user/me'],
  ])(
    '%s: the old refresh token is kept and works again next time',
    async (provider, user, path) => {
      await signInAs(h, provider, user);
      advance(13 * HOUR);
      expect((await profileCall(provider, path)).body).toEqual({ status: 200 });
      advance(26 * HOUR);
      expect((await profileCall(provider, path)).body).toEqual({ status: 200 });
      expect(h.emulator.count(provider as 'naver', 'token')).toBe(3);
    },
  );

  test("Google's second consent brings no refresh token: the stored one is kept", async () => {
    await signInAs(h, 'google', '200000000000000000002');
    // Signing in again (another device): Google returns a refresh token on the first consent only.
    await signInAs(h, 'google', '200000000000000000002', h.newAgent());
    advance(2 * HOUR);
    expect((await profileCall('google', '/v1/userinfo')).body).toEqual({ status: 200 });
    expect(h.emulator.count('google', 'token')).toBe(3); // two sign-ins, one refresh
  });

  test('invalid_grant on refresh: reauth_required, and the identity is marked', async () => {
    await signInAs(h, 'google', '200000000000000000002');
    advance(2 * HOUR);
    h.emulator.failNext('google', 'token', {
      kind: 'status',
      status: 400,
      body: '{"error":"invalid_grant","error_description":"Token has been expired or revoked."}',
    });
    expect((await profileCall('google', '/v1/userinfo')).body).toEqual({
      error: 'reauth_required',
    });
    expect((await profileCall('google', '/v1/userinfo')).body).toEqual({
      error: 'reauth_required',
    });
    expect(h.emulator.count('google', 'token')).toBe(2);
    expect((await me(h.agent)).identities?.[0]).toMatchObject({
      provider: 'google',
      needsReauth: true,
    });
    // Signing in again (back at the emulator's own time) restores access.
    jest.useRealTimers();
    expect(await signInAs(h, 'google', '200000000000000000002')).toBe('/');
    expect((await profileCall('google', '/v1/userinfo')).body).toEqual({ status: 200 });
  });
});

describe('TokenVault', () => {
  const tokens = { accessToken: 'ya29.secret', refreshToken: '1//0refresh', expiresAt: 1 };
  const newSecret = 'n'.repeat(40);
  const oldSecret = 'o'.repeat(40);

  test('seals with AES-256-GCM; the identity is bound', () => {
    const vault = new TokenVault([newSecret]);
    const sealed = vault.seal(tokens, 'google\u00001');
    expect(sealed).not.toContain('ya29');
    expect(vault.open(sealed, 'google\u00001')).toEqual(tokens);
    expect(() => vault.open(sealed, 'google\u00002')).toThrow(SocialAuthError);
  });

  test('rotation: the newest secret seals, older ones still open', () => {
    const sealedOld = new TokenVault([oldSecret]).seal(tokens, 'k');
    const rotated = new TokenVault([newSecret, oldSecret]);
    expect(rotated.open(sealedOld, 'k')).toEqual(tokens);
    expect(() =>
      new TokenVault([oldSecret]).open(new TokenVault([newSecret]).seal(tokens, 'k'), 'k'),
    ).toThrow(expect.objectContaining({ code: 'reauth_required' }));
  });

  test('a tampered blob does not open', () => {
    const vault = new TokenVault([newSecret]);
    const sealed = vault.seal(tokens, 'k');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x'.repeat(20)).toString('base64url');
    expect(() => vault.open(parts.join('.'), 'k')).toThrow(SocialAuthError);
  });

  test('a truncated or lengthened auth tag does not open (NIST SP 800-38D §5.2.1.2)', () => {
    const vault = new TokenVault([newSecret]);
    const sealed = vault.seal(tokens, 'k');
    const parts = sealed.split('.');
    const tag = Buffer.from(parts[4]!, 'base64url');
    expect(tag).toHaveLength(16);
    // Node checks only as many tag bytes as it is given: a 4-byte prefix of the real tag would
    // pass, leaving 2^-32 forgery odds instead of 2^-128.
    for (const bytes of [
      tag.subarray(0, 4),
      tag.subarray(0, 8),
      tag.subarray(0, 12),
      tag.subarray(0, 15),
      Buffer.concat([tag, Buffer.from([0])]),
    ]) {
      parts[4] = bytes.toString('base64url');
      expect(() => vault.open(parts.join('.'), 'k')).toThrow(
        expect.objectContaining({ code: 'reauth_required' }),
      );
    }
  });
});
