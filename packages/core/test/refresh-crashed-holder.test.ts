// Issue 17, item 4: a crashed refresh-lock holder. An instance took an identity's refresh lock and
// died before releasing it (here: a real lock taken in the real Redis and never released, which is
// what a crash leaves behind). Before, every token request for that identity waited 15 s and got
// `refresh_failed`, while the lock lived exactly as long. Now the lock lives one refresh call
// (its 10 s timeout, or a longer providerTimeout, + 2 s), and a waiter takes it over once it
// expires and refreshes itself.
import { Redis } from 'ioredis';
import express from 'express';
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { redisCoordination, redisSession } from '../src';
import { identityKey } from '../src/accounts/rules';
import { refreshLocks } from '../src/tokens/refresh-lock';
import {
  consent,
  start,
  startHarness,
  type Harness,
  startRedis,
  type RedisServer,
} from '@socialauth/testkit';

jest.setTimeout(60_000);
const ALICE = '104834925480000000001';
const PROVIDER_TIMEOUT = 1000;

let redis: RedisServer;
let h: Harness;
let store: ReturnType<typeof redisSession>;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());
beforeEach(async () => {
  store = redisSession({ url: redis.url });
  const app = express();
  h = await startHarness(
    (emulator) => ({
      providers: [
        google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin, accessType: 'offline' }),
      ],
      session: { store },
      providerTimeout: PROVIDER_TIMEOUT,
    }),
    app,
  );
  app.get('/token', async (req, res) => {
    try {
      res.json({ token: await req.socialAuth.accessToken('google') });
    } catch (err) {
      res.status(502).json({ code: (err as { code?: string }).code });
    }
  });
});
afterEach(async () => {
  await h.close();
  await store.close();
});

test('a lock left by a crashed instance: the next caller waits one lock lifetime, then refreshes', async () => {
  // The tokens Google hands out next (the code's, then the first refresh's) live 30 s: inside
  // the refresh margin at once.
  for (let i = 0; i < 2; i += 1) {
    h.emulator.failNext('google', 'token', { kind: 'rewrite-json', set: { expires_in: 30 } });
  }
  await h.agent.get(await consent(await start(h.agent), { user: ALICE })).expect(302);
  const first = (await h.agent.get('/token').expect(200)).body.token as string;
  expect(h.emulator.count('google', 'token')).toBe(2); // the code, then one refresh

  // The refreshed token is due again; the identity's lock is held, as a crash would leave it.
  const crashed = new Redis(redis.url);
  try {
    const locks = refreshLocks(redisCoordination({ client: crashed }), PROVIDER_TIMEOUT);
    expect(await locks.acquire(identityKey('google', ALICE))).toBeDefined();

    const since = Date.now();
    const res = await h.agent.get('/token');
    const waited = Date.now() - since;
    console.log(`a crashed holder's lock (${locks.ttlMs} ms): the caller waited ${waited} ms`);
    expect(res.status).toBe(200);
    expect(res.body.token).not.toBe(first);
    expect(waited).toBeGreaterThanOrEqual(locks.ttlMs - 100);
    expect(h.emulator.count('google', 'token')).toBe(3);
  } finally {
    crashed.disconnect();
  }
});
