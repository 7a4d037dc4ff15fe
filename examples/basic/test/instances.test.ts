import { randomBytes } from 'node:crypto';
import { approveConsent, DEFAULT_USERS } from '@socialauth/emulator';
import { startRedis, type RedisServer } from '@socialauth/testkit';
import { startExample } from '../src/example';

// The README's two-instance demo, in-process: two example instances behind one public address
// (BASE_URL), one Redis and one emulator (EMULATOR_PORT), so a sign-in started on one
// completes on the other.
type Example = Awaited<ReturnType<typeof startExample>>;
let redis: RedisServer;
let first: Example;
let second: Example;

beforeAll(async () => {
  for (const p of ['GOOGLE', 'NAVER', 'KAKAO']) delete process.env[`${p}_CLIENT_ID`];
  redis = await startRedis();
  const shared = { redisURL: redis.url, secret: randomBytes(32).toString('base64url') };
  first = await startExample({ port: 0, ...shared, log: () => {} });
  const emulatorPort = Number(new URL(first.emulatorOrigin!).port);
  second = await startExample({
    port: 0,
    baseURL: first.url,
    emulatorPort,
    ...shared,
    log: () => {},
  });
}, 30_000);
afterAll(async () => {
  await second?.stop();
  await first?.stop();
  await redis?.stop();
});

/** The session cookie a response sets, as a Cookie header. */
function cookieOf(res: Response): string {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('socialauth.sid='));
  if (!cookie) throw new Error(`no session cookie (HTTP ${res.status})`);
  return cookie.split(';')[0]!;
}

const get = (url: string, cookie?: string) =>
  fetch(url, {
    redirect: 'manual',
    headers: { Accept: 'application/json', ...(cookie && { Cookie: cookie }) },
  });

test('the second instance uses the emulator the first started, and the shared baseURL', () => {
  expect(first.emulator).toBeDefined();
  expect(second.emulator).toBeUndefined();
  expect(second.emulatorOrigin).toBe(first.emulatorOrigin);
  expect(second.baseURL).toBe(first.url);
});

test.each([
  ['started on the second instance, completed at the public address', () => [second, first]],
  ['started on the first instance, the callback routed to the second', () => [first, second]],
])('a sign-in %s', async (_name, pick) => {
  const [starter, finisher] = pick() as [Example, Example];
  const start = await get(`${starter.url}/auth/google?next=/profile`);
  // A JSON start answers the provider URL in the body rather than a 302.
  expect(start.status).toBe(200);
  const authorize = new URL(((await start.json()) as { redirectUrl: string }).redirectUrl);
  expect(authorize.origin).toBe(first.emulatorOrigin);
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${first.url}/auth/google/callback`);

  const back = new URL(await approveConsent(authorize.href));
  const callback = await get(`${finisher.url}${back.pathname}${back.search}`, cookieOf(start));
  expect(callback.headers.get('location')).toBe('/profile');

  const signedIn = cookieOf(callback);
  for (const instance of [first, second]) {
    const session = await get(`${instance.url}/auth/session`, signedIn);
    expect(session.status).toBe(200);
    expect(((await session.json()) as { user: { email: string } }).user.email).toBe(
      DEFAULT_USERS.google[0]!.email,
    );
  }
});
