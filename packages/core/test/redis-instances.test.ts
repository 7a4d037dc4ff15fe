import Redis from 'ioredis';
import { startEmulator, type Emulator } from '@socialauth/emulator';
import { SECRET, consent, startRedis, type RedisServer } from '@socialauth/testkit';
import {
  call,
  sessionId,
  sidCookie,
  spawnPair,
  type Instance,
  type Reply,
} from './instance-process';

// Two app instances in two processes behind one public origin, sharing one redis-server: a
// sign-in, a logout and the rate limit must not care which instance answers.
/** What a load balancer in front of both instances would be; only redirect_uri uses it. */
const PUBLIC_ORIGIN = 'http://app.socialauth.test';
const LIMIT = 5;
const PREFIX = 'socialauth:sess:';

// Two tsx start-ups on a loaded CI machine.
jest.setTimeout(60_000);

const json = <T>(reply: Reply): T => JSON.parse(reply.text) as T;
interface SessionBody {
  user?: { id: string };
  error?: { code: string };
}

let redis: RedisServer;
let admin: Redis;
let emulator: Emulator;
let a: Instance;
let b: Instance;

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
  emulator = await startEmulator({ port: 0 });
  const env = {
    REDIS_URL: redis.url,
    EMULATOR_ORIGIN: emulator.origin,
    BASE_URL: PUBLIC_ORIGIN,
    SESSION_SECRET: SECRET,
    RATE_LIMIT: String(LIMIT),
  };
  [a, b] = await spawnPair(env);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  admin?.disconnect();
  await emulator?.stop();
  await redis?.stop();
});

test('a sign-in started on A completes on B; both see it; a logout on B ends it on A', async () => {
  const started = await call(`${a.url}/auth/google?next=/after`);
  expect(started.status).toBe(302);
  const pending = sidCookie(started);
  expect(pending).toBeDefined();
  const authorize = new URL(started.headers.location ?? '');
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${PUBLIC_ORIGIN}/auth/google/callback`);

  const back = await consent(authorize);
  const done = await call(`${b.url}${back}`, {
    headers: { Cookie: pending!, Accept: 'text/html' },
  });
  expect(done.status).toBe(302);
  expect(done.headers.location).toBe('/after');
  expect(emulator.count('google', 'token')).toBe(1);
  const signedIn = sidCookie(done);
  expect(signedIn).toBeDefined();
  expect(sessionId(signedIn!)).not.toBe(sessionId(pending!)); // regenerated on B
  expect(await admin.exists(PREFIX + sessionId(pending!))).toBe(0);

  const onA = await call(`${a.url}/auth/session`, { headers: { Cookie: signedIn! } });
  const onB = await call(`${b.url}/auth/session`, { headers: { Cookie: signedIn! } });
  expect([onA.status, onB.status]).toEqual([200, 200]);
  const userId = json<SessionBody>(onA).user?.id;
  expect(userId).toEqual(expect.any(String));
  expect(json<SessionBody>(onB).user?.id).toBe(userId);
  const privateOnA = await call(`${a.url}/private`, { headers: { Cookie: signedIn! } });
  expect(json<{ id: string }>(privateOnA)).toEqual({ id: userId });

  const csrf = await call(`${b.url}/auth/csrf`, { headers: { Cookie: signedIn! } });
  expect(csrf.status).toBe(200);
  const cookie = sidCookie(csrf) ?? signedIn!;
  const out = await call(`${b.url}/auth/logout`, {
    method: 'POST',
    headers: { Cookie: cookie, 'X-CSRF-Token': json<{ csrfToken: string }>(csrf).csrfToken },
  });
  expect(out.status).toBe(303);
  expect(await admin.exists(PREFIX + sessionId(signedIn!))).toBe(0);

  const afterOnA = await call(`${a.url}/auth/session`, { headers: { Cookie: cookie } });
  expect(afterOnA.status).toBe(401);
  expect(json<SessionBody>(afterOnA).error?.code).toBe('unauthenticated');
  const afterOnB = await call(`${b.url}/private`, { headers: { Cookie: cookie } });
  expect(afterOnB.status).toBe(401);
});

test('the rate limit counts one client IP across both instances', async () => {
  // Its own loopback address, so the sign-in above (from 127.0.0.1) does not count here.
  const from = '127.0.0.2';
  const replies: Reply[] = [];
  for (let i = 0; i < 2 * LIMIT; i += 1) {
    const instance = i % 2 === 0 ? a : b;
    replies.push(
      await call(`${instance.url}/auth/google`, { from, headers: { Accept: 'application/json' } }),
    );
  }
  const statuses = replies.map((r) => r.status);
  console.log(`rate limit ${LIMIT}/min, A and B alternating: ${statuses.join(' ')}`);
  // Counted per instance, each would have let LIMIT through: 2 * LIMIT starts and no 429. (A
  // JSON start answers 200 { redirectUrl } rather than a 302.)
  expect(statuses).toEqual([...Array(LIMIT).fill(200), ...Array(LIMIT).fill(429)]);
  for (const limited of replies.slice(LIMIT)) {
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(json<SessionBody>(limited).error?.code).toBe('rate_limited');
    expect(limited.headers['set-cookie']).toBeUndefined();
    expect(limited.headers.location).toBeUndefined();
  }
  // Per client IP: another address still gets through, on either instance.
  const other = await call(`${b.url}/auth/google`, { from: '127.0.0.3' });
  expect(other.status).toBe(302);
});

test('both instances are still running', () => {
  for (const instance of [a, b]) {
    const state = { exitCode: instance.child.exitCode, signal: instance.child.signalCode };
    if (state.exitCode !== null || state.signal !== null) console.log(instance.output());
    expect(state).toEqual({ exitCode: null, signal: null });
  }
});
