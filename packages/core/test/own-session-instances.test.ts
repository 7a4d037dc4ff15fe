// Issue 17, item 3: cross-instance guarantees whatever the session store. Two app processes mount
// express-session themselves on connect-redis (a documented mode) and share one redis-server.
// Before the coordination seam, socialauth decided "shared or not" by asking whether the store
// was its own redisSession: here the session index, state claims and user cache were then per
// process, so sign-out everywhere on A left the user's session on B alive, and B showed a
// disconnected identity for up to a minute. Now every instance coordinates through
// redisCoordination, and B follows a change made on A within a second.
import { startEmulator, type Emulator } from '@socialauth/emulator';
import { SECRET, consent, startRedis, type RedisServer } from '@socialauth/testkit';
import { call, sidCookie, spawnPair, type Instance, type Reply } from './instance-process';

jest.setTimeout(90_000);

const PUBLIC_ORIGIN = 'http://app.socialauth.test';
const ALICE = '104834925480000000001';
const ALICE_WORK = '104834925480000000002';
const json = <T>(reply: Reply): T => JSON.parse(reply.text) as T;

let redis: RedisServer;
let emulator: Emulator;
let a: Instance;
let b: Instance;

beforeAll(async () => {
  redis = await startRedis();
  emulator = await startEmulator({ port: 0 });
  [a, b] = await spawnPair({
    REDIS_URL: redis.url,
    EMULATOR_ORIGIN: emulator.origin,
    BASE_URL: PUBLIC_ORIGIN,
    SESSION_SECRET: SECRET,
    OWN_SESSION: '1',
  });
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await emulator?.stop();
  await redis?.stop();
});

/** A browser sign-in as `user`, started and finished on `on`; the signed-in cookie. */
async function signIn(on: Instance, user: string): Promise<string> {
  const started = await call(`${on.url}/auth/google?next=/after`);
  expect(started.status).toBe(302);
  const back = await consent(new URL(started.headers.location ?? ''), { user });
  const done = await call(`${on.url}${back}`, {
    headers: { Cookie: sidCookie(started)!, Accept: 'text/html' },
  });
  expect(done.status).toBe(302);
  return sidCookie(done)!;
}

/** A CSRF-checked POST as the session `cookie` (the token first, as a page would fetch it). */
async function post(on: Instance, path: string, cookie: string): Promise<Reply> {
  const csrf = await call(`${on.url}/auth/csrf`, { headers: { Cookie: cookie } });
  const token = json<{ csrfToken: string }>(csrf).csrfToken;
  return call(`${on.url}${path}`, {
    method: 'POST',
    headers: {
      Cookie: sidCookie(csrf) ?? cookie,
      'X-CSRF-Token': token,
      Accept: 'application/json',
    },
  });
}

const identitiesOn = async (on: Instance, cookie: string) =>
  json<{ identities: string[] }>(
    await call(`${on.url}/identities`, { headers: { Cookie: cookie } }),
  ).identities;

/** Milliseconds until `on` shows `expected` to `cookie`, polled; fails after a second. */
async function followed(on: Instance, cookie: string, expected: string[]): Promise<number> {
  const since = Date.now();
  for (;;) {
    const asked = Date.now() - since;
    const seen = await identitiesOn(on, cookie);
    if (JSON.stringify(seen) === JSON.stringify(expected)) return asked;
    if (asked > 1000) throw new Error(`still ${JSON.stringify(seen)} after ${asked} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('a connect and a disconnect on A show on B within a second; sign-out everywhere on A ends B’s session', async () => {
  const onA = await signIn(a, ALICE);
  const onB = await signIn(b, ALICE);
  // B has the user cached now.
  expect(await identitiesOn(b, onB)).toEqual([ALICE]);

  // A second Google account connected on A.
  const connect = await post(a, '/auth/google/connect?next=/after', onA);
  expect(connect.status).toBe(200);
  const authorize = new URL(json<{ redirectUrl: string }>(connect).redirectUrl);
  const back = await consent(authorize, { user: ALICE_WORK });
  expect(
    (await call(`${a.url}${back}`, { headers: { Cookie: onA, Accept: 'text/html' } })).status,
  ).toBe(302);
  const connected = await followed(b, onB, [ALICE, ALICE_WORK]);

  // ...and disconnected on A again.
  const csrf = await call(`${a.url}/auth/csrf`, { headers: { Cookie: onA } });
  const out = await call(`${a.url}/auth/google/disconnect`, {
    method: 'POST',
    headers: {
      Cookie: onA,
      'X-CSRF-Token': json<{ csrfToken: string }>(csrf).csrfToken,
      'Content-Type': 'application/json',
      Accept: 'application/json',
    },
    body: JSON.stringify({ subject: ALICE_WORK }),
  });
  expect(out.status).toBe(200);
  const disconnected = await followed(b, onB, [ALICE]);
  console.log(`B followed A: connect in ${connected} ms, disconnect in ${disconnected} ms`);

  expect((await post(a, '/auth/logout/everywhere', onA)).status).toBe(204);
  expect((await call(`${b.url}/private`, { headers: { Cookie: onB } })).status).toBe(401);
  expect((await call(`${a.url}/private`, { headers: { Cookie: onA } })).status).toBe(401);
});

test('a replayed callback is refused on the other instance (the state claim is shared)', async () => {
  const started = await call(`${a.url}/auth/google?next=/after`);
  const back = await consent(new URL(started.headers.location ?? ''));
  const cookie = sidCookie(started)!;
  const [first, second] = await Promise.all(
    [a, b].map((on) =>
      call(`${on.url}${back}`, { headers: { Cookie: cookie, Accept: 'text/html' } }),
    ),
  );
  const targets = [first!, second!].map((r) => r.headers.location ?? '');
  expect(targets.filter((t) => t === '/after')).toHaveLength(1);
  expect(targets.filter((t) => t.includes('error=login_expired'))).toHaveLength(1);
});
