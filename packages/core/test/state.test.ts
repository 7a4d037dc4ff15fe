import { FLOW_TTL_MS } from '../src/flow/state';
import {
  consent,
  editSession,
  sessions,
  start,
  startHarness,
  type Harness,
  logout,
} from '@socialauth/testkit';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

/** The callback must fail with `code`, and no token request may reach the provider. */
async function expectRejected(path: string, code: string) {
  const res = await h.agent.get(path).set('Accept', 'application/json');
  expect(res.body.error?.code).toBe(code);
  expect(res.status).toBe(403);
  expect(h.emulator.count('google', 'token')).toBe(0);
  await h.agent.get('/auth/session').expect(401);
}

function withState(path: string, state: string | undefined) {
  const url = new URL(path, 'http://x');
  if (state === undefined) url.searchParams.delete('state');
  else url.searchParams.set('state', state);
  return url.pathname + url.search;
}

describe('state (RFC 6749 §10.12, RFC 9700 §4.7)', () => {
  test('missing state: rejected before any token call', async () => {
    const back = await consent(await start(h.agent));
    await expectRejected(withState(back, undefined), 'state_mismatch');
  });

  test('a state this session never issued: rejected', async () => {
    const back = await consent(await start(h.agent));
    await expectRejected(withState(back, 'A'.repeat(43)), 'login_expired');
  });

  test('the callback from another browser (no session cookie): rejected', async () => {
    const back = await consent(await start(h.agent));
    const res = await h.newAgent().get(back).set('Accept', 'application/json');
    expect(res.body.error.code).toBe('login_expired');
    expect(h.emulator.count('google', 'token')).toBe(0);
  });

  test('replayed state: the second use is rejected', async () => {
    const back = await consent(await start(h.agent));
    await h.agent.get(back).expect(302);
    expect(h.emulator.count('google', 'token')).toBe(1);
    expect((await logout(h.agent)).status).toBe(303);
    const res = await h.agent.get(back).set('Accept', 'application/json');
    expect(res.body.error.code).toBe('login_expired');
    expect(h.emulator.count('google', 'token')).toBe(1);
  });

  test('state is spent even when the sign-in fails', async () => {
    const authorize = await start(h.agent);
    const denied = await consent(authorize, { deny: true });
    await h.agent.get(denied).expect(302);
    const flows = Object.values(sessions(h.store))[0]?.socialauth?.flows ?? {};
    expect(Object.keys(flows)).toHaveLength(0);
  });

  test('a state issued for one provider is refused at another (mix-up, RFC 9700 §4.4)', async () => {
    const back = await consent(await start(h.agent, 'google-work'));
    await expectRejected(back.replace('/auth/google-work/', '/auth/google/'), 'state_mismatch');
  });

  test('a state older than ten minutes: rejected', async () => {
    const back = await consent(await start(h.agent));
    editSession(h.store, (data) => {
      for (const flow of Object.values(data.socialauth?.flows ?? {})) flow.createdAt -= FLOW_TTL_MS;
    });
    await expectRejected(back, 'login_expired');
  });

  test('a callback with no code and no error does not restart the flow', async () => {
    const authorize = await start(h.agent);
    const res = await h.agent
      .get(`/auth/google/callback?state=${authorize.searchParams.get('state')}`)
      .set('Accept', 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(h.emulator.count('google', 'token')).toBe(0);
  });

  test('a code at the start route is not exchanged', async () => {
    await start(h.agent);
    const res = await h.agent
      .get('/auth/google?code=abc&state=x')
      .set('Accept', 'application/json');
    expect(res.body.error.code).toBe('invalid_request');
    expect(h.emulator.count('google', 'token')).toBe(0);
  });

  test('a pending-login session lives ten minutes and holds a few flows at most', async () => {
    const res = await h.agent.get('/auth/google').expect(302);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join(';');
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)?.[1] ?? '');
    const seconds = (expires - Date.parse(res.headers.date as string)) / 1000;
    expect(seconds).toBeGreaterThan(590);
    expect(seconds).toBeLessThanOrEqual(601);
    for (let i = 0; i < 8; i += 1) await start(h.agent);
    const flows = Object.values(sessions(h.store))[0]?.socialauth?.flows ?? {};
    expect(Object.keys(flows)).toHaveLength(5);
  });
});

describe('PKCE (RFC 7636)', () => {
  test('a verifier that does not match the challenge: the emulator refuses the code', async () => {
    const back = await consent(await start(h.agent));
    editSession(h.store, (data) => {
      for (const flow of Object.values(data.socialauth?.flows ?? {})) {
        flow.verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
      }
    });
    const res = await h.agent.get(back).set('Accept', 'application/json');
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('token_exchange_failed');
    expect(h.emulator.count('google', 'token')).toBe(1);
    await h.agent.get('/auth/session').expect(401);
  });
});
