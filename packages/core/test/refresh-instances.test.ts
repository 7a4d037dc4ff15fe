import { startEmulator, type Emulator } from '@socialauth/emulator';
import { SECRET, consent, startRedis, type RedisServer } from '@socialauth/testkit';
import { call, sidCookie, spawnPair, type Instance } from './instance-process';

// Issue 13, row 2: two app instances in two processes on one Redis, one user whose Google token
// has expired, and concurrent provider calls on both instances: one refresh at Google in all,
// the others use the tokens it stored. Without the cross-instance lock each instance refreshed
// (a rotated refresh token would then be dead for the second: RFC 9700 §4.14.2).
jest.setTimeout(60_000);
const CALLERS = 20;

let redis: RedisServer;
let emulator: Emulator;
let a: Instance;
let b: Instance;

beforeAll(async () => {
  redis = await startRedis();
  emulator = await startEmulator({ port: 0 });
  const env = {
    REDIS_URL: redis.url,
    EMULATOR_ORIGIN: emulator.origin,
    BASE_URL: 'http://app.socialauth.test',
    SESSION_SECRET: SECRET,
  };
  [a, b] = await spawnPair(env);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await emulator?.stop();
  await redis?.stop();
});

test(`${CALLERS} concurrent callers on 2 instances with an expired token: one refresh`, async () => {
  const started = await call(`${a.url}/auth/google`);
  const back = await consent(new URL(started.headers.location ?? ''));
  const done = await call(`${b.url}${back}`, {
    headers: { Cookie: sidCookie(started)!, Accept: 'text/html' },
  });
  expect(done.status).toBe(302);
  const cookie = sidCookie(done)!;
  expect(emulator.count('google', 'token')).toBe(1);

  // Two hours later on both instances: Google's one-hour access token has expired.
  for (const instance of [a, b]) {
    expect((await call(`${instance.url}/test/clock?ms=7200000`, { method: 'POST' })).status).toBe(
      200,
    );
  }
  const replies = await Promise.all(
    Array.from({ length: CALLERS }, (_, i) =>
      call(`${(i % 2 === 0 ? a : b).url}/google-call`, { headers: { Cookie: cookie } }),
    ),
  );
  expect(replies.map((r) => JSON.parse(r.text) as unknown)).toEqual(
    Array(CALLERS).fill({ status: 200 }),
  );
  const refreshes = emulator.count('google', 'token') - 1;
  process.stdout.write(`refresh calls for ${CALLERS} callers on 2 instances: ${refreshes}\n`);
  expect(refreshes).toBe(1);
});
