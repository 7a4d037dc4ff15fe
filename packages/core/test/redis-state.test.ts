import Redis from 'ioredis';
import supertest from 'supertest';
import { redisAccounts, redisSession, type AccountStore } from '../src';
import {
  consent,
  cookieOf,
  startHarness,
  type Harness,
  startRedis,
  type RedisServer,
} from '@socialauth/testkit';

// A callback whose state is gone says why (login_expired + reason) and never reaches the token
// endpoint; pending-login sessions never outlive ten minutes in Redis.
const PREFIX = 'socialauth:sess:';
const FLOW_TTL_S = 600;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let redis: RedisServer;
let admin: Redis;
let store: ReturnType<typeof redisSession>;
let accounts: AccountStore;
let h: Harness;

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
  store = redisSession({ url: redis.url });
  accounts = redisAccounts({ url: redis.url });
  // No rate limit: the load test below is ten thousand sign-ins from one address.
  h = await startHarness(() => ({ session: { store }, accounts, rateLimit: false }));
});
beforeEach(() => h.emulator.resetCounts());

afterAll(async () => {
  await h?.close();
  await accounts?.close?.().catch(() => {});
  await store?.close();
  admin?.disconnect();
  await redis?.stop();
});

/** `socialauth.sid=...`, ready for a Cookie header. */
function pair(res: supertest.Response): string {
  const set = cookieOf(res);
  if (!set) throw new Error(`no session cookie in the ${res.status} answer`);
  return set.split(';')[0]!;
}

/** The Redis key of the session a cookie names (`s:<id>.<signature>`). */
function keyOf(cookie: string): string {
  const value = decodeURIComponent(cookie.slice('socialauth.sid='.length));
  return PREFIX + value.slice(2, value.lastIndexOf('.'));
}

/** Starts a sign-in on a fresh client; returns its cookie and the consented callback path. */
async function pendingSignIn() {
  const res = await supertest(h.baseURL).get('/auth/google').expect(302);
  return { cookie: pair(res), back: await consent(new URL(res.headers.location as string)) };
}

type Form = 'json' | 'page';

/**
 * The callback fails with login_expired and `reason` (JSON for API clients, a redirect to the error
 * page for browsers) and nothing reaches the token endpoint. The request carries exactly `cookie`.
 */
async function expectExpired(
  back: string,
  cookie: string | undefined,
  reason: string,
  forms: Form[] = ['json', 'page'],
) {
  const tokenCalls = h.emulator.count('google', 'token');
  const callback = (accept: string) => {
    const req = supertest(h.baseURL).get(back).set('Accept', accept);
    return cookie ? req.set('Cookie', cookie) : req;
  };
  if (forms.includes('json')) {
    const api = await callback('application/json');
    expect(api.status).toBe(403);
    expect(api.body.error.code).toBe('login_expired');
    expect(api.body.error.reason ?? reason).toBe(reason); // the body may leave it out
  }
  if (forms.includes('page')) {
    const page = await callback('text/html');
    expect(page.status).toBe(302);
    const target = new URL(page.headers.location as string, h.baseURL);
    expect(target.pathname).toBe('/auth/error');
    expect(Object.fromEntries(target.searchParams)).toEqual({ error: 'login_expired', reason });
  }
  expect(h.emulator.count('google', 'token')).toBe(tokenCalls);
}

describe('a callback whose state is gone: login_expired, and no token call', () => {
  test.each([
    ['DEL of the session key', (key: string) => admin.del(key)],
    ['FLUSHALL', () => admin.flushall()],
    ['expiry in Redis', (key: string) => admin.pexpire(key, 1).then(() => sleep(20))],
  ])('session_lost after %s', async (_name, lose) => {
    const { cookie, back } = await pendingSignIn();
    expect(await admin.ttl(keyOf(cookie))).toBeGreaterThan(0);
    await lose(keyOf(cookie));
    expect(await admin.exists(keyOf(cookie))).toBe(0);
    await expectExpired(back, cookie, 'session_lost');
  });

  test('cookie_missing when the callback comes without the session cookie', async () => {
    const { back } = await pendingSignIn();
    await expectExpired(back, undefined, 'cookie_missing');
  });

  test('state_used on a replay; session_lost with the cookie from before the sign-in', async () => {
    const { cookie: pending, back } = await pendingSignIn();
    const done = await supertest(h.baseURL).get(back).set('Cookie', pending).expect(302);
    expect(h.emulator.count('google', 'token')).toBe(1);
    const signedIn = pair(done);
    await expectExpired(back, signedIn, 'state_used');
    // The sign-in regenerated the id, so the pending session itself is gone.
    await expectExpired(back, pending, 'session_lost');
    await supertest(h.baseURL).get('/auth/session').set('Cookie', signedIn).expect(200);
  });

  test.each<Form>(['json', 'page'])(
    'flow_expired when the sign-in took more than ten minutes (%s)',
    async (form) => {
      // A fresh sign-in per form: the first callback spends the flow, as it must.
      const { cookie, back } = await pendingSignIn();
      const key = keyOf(cookie);
      const data = JSON.parse((await admin.get(key))!) as {
        socialauth: { flows: Record<string, { createdAt: number }> };
      };
      for (const flow of Object.values(data.socialauth.flows)) flow.createdAt -= FLOW_TTL_S * 1000;
      await admin.set(key, JSON.stringify(data), 'KEEPTTL');
      await expectExpired(back, cookie, 'flow_expired', [form]);
      // Spent: a second try of the same response is a replay.
      await expectExpired(back, cookie, 'state_used');
    },
  );
});

async function scanKeys(pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

test('10,000 anonymous sign-in starts: every pending session expires within ten minutes', async () => {
  await admin.flushall();
  const total = 10_000;
  const statuses = new Map<number, number>();
  let issued = 0;
  const began = Date.now();
  const worker = async () => {
    while (issued < total) {
      issued += 1;
      const res = await fetch(`${h.baseURL}/auth/google`, { redirect: 'manual' });
      await res.arrayBuffer();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: 50 }, worker));
  const elapsed = Date.now() - began;
  expect(Object.fromEntries(statuses)).toEqual({ 302: total });

  const keys = await scanKeys(`${PREFIX}*`);
  const ttls: number[] = [];
  for (let i = 0; i < keys.length; i += 1000) {
    const pipeline = admin.pipeline();
    for (const key of keys.slice(i, i + 1000)) pipeline.ttl(key);
    for (const [err, ttl] of (await pipeline.exec()) ?? []) {
      if (err) throw err;
      ttls.push(ttl as number);
    }
  }
  const min = Math.min(...ttls);
  const max = Math.max(...ttls);
  console.log(
    `${total} starts in ${elapsed} ms (50 at a time): ${keys.length} pending keys, TTL ${min}..${max} s`,
  );
  expect(keys).toHaveLength(total);
  expect(ttls).toHaveLength(total);
  expect(min).toBeGreaterThan(0);
  expect(max).toBeLessThanOrEqual(FLOW_TTL_S);
}, 90_000);
