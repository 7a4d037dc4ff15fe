// Issue 9, finding 7. RFC 6749 §10.12 and RFC 9700 §4.7: a state is single-use. The flow lives in
// the session, and concurrent requests each read their own copy of it, so taking it out of the
// session alone let three simultaneous replays of one callback send three token requests.
// Consumption is claimed atomically per flow: exactly one request reaches the token endpoint.
import { redisSession } from '../src';
import {
  consent,
  start,
  startHarness,
  type Harness,
  startRedis,
  type RedisServer,
} from '@socialauth/testkit';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

describe.each(['memory', 'redis'] as const)('%s session store', (kind) => {
  let h: Harness;
  let store: ReturnType<typeof redisSession> | undefined;
  beforeEach(async () => {
    store = kind === 'redis' ? redisSession({ url: redis.url }) : undefined;
    h = await startHarness(() => ({ ...(store && { session: { store } }), rateLimit: false }));
  });
  afterEach(async () => {
    await h.close();
    await store?.close();
  });

  test('three concurrent replays of one callback make exactly one token request', async () => {
    const back = await consent(await start(h.agent));
    const answers = await Promise.all([1, 2, 3].map(() => h.agent.get(back)));
    expect(h.emulator.count('google', 'token')).toBe(1);
    const locations = answers.map((r) => r.headers.location).sort();
    expect(locations).toEqual([
      '/',
      '/auth/error?error=login_expired&reason=state_used',
      '/auth/error?error=login_expired&reason=state_used',
    ]);
  });
});
