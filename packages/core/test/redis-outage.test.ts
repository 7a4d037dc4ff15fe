import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import { redisAccounts, redisSession, type AccountStore } from '../src';
import {
  cookieOf,
  signIn,
  startHarness,
  type Harness,
  startRedis,
  type RedisServer,
} from '@socialauth/testkit';

// SECURITY.md "Failing closed": while Redis is gone, a request with a session cookie gets 503 with
// Retry-After (never 200, never a new cookie, never a redirect to a provider), and once Redis is
// back the app recovers by itself, with the session intact (AOF on: a crash keeps the data).
let dir: string;
let redis: RedisServer;
let store: ReturnType<typeof redisSession>;
let accounts: AccountStore;
let h: Harness;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'socialauth-outage-'));
  redis = await startRedis({ dir, appendonly: true });
  store = redisSession({ url: redis.url });
  accounts = redisAccounts({ url: redis.url });
  h = await startHarness(() => ({ session: { store }, accounts }));
});

afterAll(async () => {
  await h?.close();
  await accounts?.close?.().catch(() => {});
  await store?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Outcome {
  startedAt: number;
  status: number;
  retryAfter: string | undefined;
  setCookie: unknown;
  location: string | undefined;
  code: unknown;
}

/** One GET with exactly this cookie (no jar: nothing a response sets is sent back). */
async function get(path: string, cookie?: string): Promise<Outcome> {
  const startedAt = Date.now();
  const req = supertest(h.baseURL).get(path).set('Accept', 'application/json');
  const res = await (cookie ? req.set('Cookie', cookie) : req);
  return {
    startedAt,
    status: res.status,
    retryAfter: res.headers['retry-after'] as string | undefined,
    setCookie: res.headers['set-cookie'],
    location: res.headers.location as string | undefined,
    code: (res.body as { error?: { code?: unknown } }).error?.code,
  };
}

function expectUnavailable(outcome: Outcome) {
  expect(outcome).toMatchObject({
    status: 503,
    retryAfter: expect.stringMatching(/^[1-9]\d*$/),
    setCookie: undefined,
    location: undefined,
    code: 'session_unavailable',
  });
}

test('a burst across a Redis crash: 200 or 503, then 200 within 2 s of the restart, same user', async () => {
  const signedIn = await signIn(h);
  expect(signedIn.status).toBe(302);
  const cookie = cookieOf(signedIn)!.split(';')[0]!;
  const me = await supertest(h.baseURL).get('/auth/session').set('Cookie', cookie).expect(200);
  const userId = me.body.user.id as string;

  // Eight clients in a loop; Redis is SIGKILLed while they run, and they run on after it.
  const outcomes: Outcome[] = [];
  let running = true;
  const worker = async () => {
    while (running) outcomes.push(await get('/auth/session', cookie));
  };
  const workers = Array.from({ length: 8 }, worker);
  await sleep(150);
  await redis.kill();
  const killedAt = Date.now();
  await sleep(500);
  running = false;
  await Promise.all(workers);

  const ok = outcomes.filter((o) => o.status === 200);
  const failed = outcomes.filter((o) => o.status !== 200);
  console.log(
    `burst: ${outcomes.length} requests, ${ok.length} x 200 before the kill, ` +
      `${failed.length} x ${[...new Set(failed.map((o) => o.status))].join('/')} after`,
  );
  expect(ok.length).toBeGreaterThan(0);
  expect(failed.length).toBeGreaterThan(0);
  for (const o of ok) expect(o.setCookie).toBeUndefined();
  for (const o of failed) expectUnavailable(o);
  // Only a request already under way when Redis died may still have been answered 200.
  for (const o of ok) expect(o.startedAt).toBeLessThan(killedAt);

  // Still down: the signed-in user is not taken for anonymous anywhere, and a visitor without a
  // cookie needs no store to be told they are signed out.
  expectUnavailable(await get('/private', cookie));
  expect((await get('/auth/session')).status).toBe(401);

  await redis.restart();
  const restartedAt = Date.now();
  let last: Outcome | undefined;
  while (Date.now() - restartedAt < 10_000) {
    last = await get('/auth/session', cookie);
    if (last.status === 200) break;
    expectUnavailable(last);
    await sleep(20);
  }
  const recoveryMs = Date.now() - restartedAt;
  console.log(
    `recovery: GET /auth/session answered 200 ${recoveryMs} ms after redis-server was back`,
  );
  expect(last?.status).toBe(200);
  expect(recoveryMs).toBeLessThan(2000);
  const after = await supertest(h.baseURL).get('/auth/session').set('Cookie', cookie).expect(200);
  expect(after.body.user.id).toBe(userId);
  expect(after.headers['set-cookie']).toBeUndefined();
});

test('with Redis stopped, starting a sign-in answers 503, not a redirect to the provider', async () => {
  const pending = await supertest(h.baseURL).get('/auth/google').expect(302);
  const cookie = cookieOf(pending)!.split(';')[0]!;
  h.emulator.resetCounts();
  await redis.stop();
  try {
    expectUnavailable(await get('/auth/google', cookie)); // a second tab of the pending sign-in
    expectUnavailable(await get('/auth/google')); // a new visitor
    const browser = await supertest(h.baseURL)
      .get('/auth/google')
      .set('Accept', 'text/html')
      .set('Cookie', cookie);
    expect(browser.status).toBe(503);
    expect(browser.headers.location).toBeUndefined();
    expect(browser.headers['set-cookie']).toBeUndefined();
    expect(h.emulator.count('google', 'authorize')).toBe(0);
  } finally {
    await redis.restart();
  }
});
