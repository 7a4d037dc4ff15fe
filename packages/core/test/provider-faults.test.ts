// A provider that is slow, broken or strange never yields a 500 or a half-signed-in session.
import type { Fault } from '@socialauth/emulator';
import { consent, sessions, start, startHarness, type Harness } from '@socialauth/testkit';

let h: Harness;
beforeEach(async () => {
  h = await startHarness(() => ({ providerTimeout: 300 }));
});
afterEach(() => h.close());

const cases: [string, 'token' | 'userinfo', Fault, string][] = [
  [
    'token endpoint slower than the timeout',
    'token',
    { kind: 'delay', ms: 3000 },
    'token_exchange_failed',
  ],
  [
    'token endpoint 503',
    'token',
    { kind: 'status', status: 503, body: 'Service Unavailable' },
    // The provider in trouble: the page says try again in a moment.
    'token_exchange_failed&reason=provider_down',
  ],
  ['token endpoint malformed JSON', 'token', { kind: 'malformed-json' }, 'token_exchange_failed'],
  [
    'token error with HTTP 200',
    'token',
    { kind: 'error-200', body: { error: 'server_error' } },
    'token_exchange_failed&reason=provider_down',
  ],
  [
    'profile endpoint slower than the timeout',
    'userinfo',
    { kind: 'delay', ms: 3000 },
    'profile_fetch_failed',
  ],
  [
    'profile endpoint 500',
    'userinfo',
    { kind: 'status', status: 500, body: 'oops' },
    'profile_fetch_failed',
  ],
  [
    'profile endpoint malformed JSON',
    'userinfo',
    { kind: 'malformed-json' },
    'profile_fetch_failed',
  ],
];

test.each(cases)('%s: %s error page, no session', async (_label, endpoint, fault, code) => {
  h.emulator.failNext('google', endpoint, fault);
  const back = await consent(await start(h.agent));
  const res = await h.agent.get(back);
  expect(res.status).toBe(302);
  expect(res.headers.location).toBe(`/auth/error?error=${code}`);
  await h.agent.get('/auth/session').expect(401);
  expect(Object.values(sessions(h.store)).some((s) => s.socialauth?.user)).toBe(false);
});
