import express from 'express';
import Redis from 'ioredis';
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

// DESIGN.md: a request with a session cookie costs one store read; a write only when the session
// changed or the lazy-touch window passed. Counted by Redis itself (INFO commandstats).
const PREFIX = 'socialauth:sess:';
const REQUESTS = 20;

let redis: RedisServer;
let admin: Redis;
let accounts: AccountStore;
const stores: ReturnType<typeof redisSession>[] = [];
const harnesses: Harness[] = [];

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
  accounts = redisAccounts({ url: redis.url });
});

afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
  await accounts?.close?.().catch(() => {});
  for (const store of stores) {
    (store as unknown as { redis?: { disconnect(): void } }).redis?.disconnect();
  }
  admin?.disconnect();
  await redis?.stop();
});

async function harness(touchAfter?: number): Promise<Harness> {
  const store = redisSession({ url: redis.url, ...(touchAfter !== undefined && { touchAfter }) });
  stores.push(store);
  const h = await startHarness(() => ({ session: { store }, accounts }), express());
  harnesses.push(h);
  return h;
}

/** Signs in and returns `socialauth.sid=...` and the session's Redis key. */
async function signedIn(h: Harness) {
  const res = await signIn(h);
  expect(res.status).toBe(302);
  const cookie = cookieOf(res)!.split(';')[0]!;
  const value = decodeURIComponent(cookie.slice('socialauth.sid='.length));
  return { cookie, key: PREFIX + value.slice(2, value.lastIndexOf('.')) };
}

/** Calls per command since the last CONFIG RESETSTAT, without the INFO and CONFIG we sent. */
async function commandStats(): Promise<Record<string, number>> {
  const stats: Record<string, number> = {};
  for (const line of (await admin.info('commandstats')).split('\r\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (!match || /^(info|config)\b/.test(match[1]!)) continue;
    stats[match[1]!] = Number(match[2]);
  }
  return stats;
}

/** Runs `requests` after a CONFIG RESETSTAT and returns what reached Redis meanwhile. */
async function counted(requests: () => Promise<void>): Promise<Record<string, number>> {
  await admin.config('RESETSTAT');
  await requests();
  return commandStats();
}

const total = (stats: Record<string, number>) => Object.values(stats).reduce((a, b) => a + b, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test(`${REQUESTS} authenticated requests cost ${REQUESTS} Redis commands, all GETs`, async () => {
  const h = await harness();
  const { cookie } = await signedIn(h);

  // From the very first request after the sign-in: the sign-in itself just wrote the session.
  const bodies: unknown[] = [];
  const stats = await counted(async () => {
    for (let i = 0; i < REQUESTS; i += 1) {
      const res = await supertest(h.baseURL).get('/private').set('Cookie', cookie);
      expect(res.status).toBe(200);
      bodies.push(res.body);
    }
  });
  // Not asserted: /auth/session also reads the account store on purpose (identities may have
  // changed on another device); commandstats counts the commands a script runs, too.
  const session = await counted(async () => {
    for (let i = 0; i < REQUESTS; i += 1) {
      await supertest(h.baseURL).get('/auth/session').set('Cookie', cookie).expect(200);
    }
  });
  for (const [route, measured] of [
    ['GET /private (requireAuth)', stats],
    ['GET /auth/session', session],
  ] as const) {
    console.log(
      `${route}, ${REQUESTS} requests: ${JSON.stringify(measured)}, ` +
        `${total(measured) / REQUESTS} command(s) per request`,
    );
  }
  expect(bodies).toEqual(Array(REQUESTS).fill({ id: expect.any(String) }));
  expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
  expect(stats).toEqual({ get: REQUESTS });
});

test('with touchAfter: 1, the first request after the window refreshes the session with one SET', async () => {
  const h = await harness(1);
  const { cookie, key } = await signedIn(h);
  const get = () => supertest(h.baseURL).get('/private').set('Cookie', cookie).expect(200);

  // Everything measured first, so a failure still reports every figure.
  const within = await counted(async () => void (await get()));
  await sleep(1500);
  const ttlBefore = await admin.pttl(key);
  let refresh: supertest.Response | undefined;
  const past = await counted(async () => void (refresh = await get()));
  const ttlAfter = await admin.pttl(key);
  const again = await counted(async () => void (await get()));
  console.log(
    `touchAfter 1 s: right after the sign-in ${JSON.stringify(within)}; 1.5 s later ` +
      `${JSON.stringify(past)} (PTTL ${ttlBefore} -> ${ttlAfter} ms, Set-Cookie ` +
      `${refresh?.headers['set-cookie'] ? 'sent' : 'not sent'}); the request after ${JSON.stringify(again)}`,
  );
  expect(within).toEqual({ get: 1 });
  expect(past).toEqual({ get: 1, set: 1 });
  expect(ttlAfter).toBeGreaterThan(ttlBefore);
  expect(again).toEqual({ get: 1 });
});
