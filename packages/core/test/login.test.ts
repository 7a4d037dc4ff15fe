import { createHash } from 'node:crypto';
import {
  consent,
  cookieOf,
  sessions,
  signIn,
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

describe('a full Google sign-in against the emulator', () => {
  test('start, consent, callback, session, logout', async () => {
    const authorize = await start(h.agent, 'google', '/dashboard');
    expect(authorize.origin).toBe(h.emulator.origin);
    expect(authorize.pathname).toBe('/o/oauth2/v2/auth');
    const params = authorize.searchParams;
    expect(params.get('response_type')).toBe('code');
    expect(params.get('redirect_uri')).toBe(`${h.baseURL}/auth/google/callback`);
    expect(params.get('scope')).toBe('openid email profile');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('nonce')).toMatch(/^[\w-]{43}$/);
    // 256 bits of state, base64url.
    expect(params.get('state')).toMatch(/^[\w-]{43}$/);

    const pendingId = Object.keys(sessions(h.store))[0];
    const callback = await h.agent.get(await consent(authorize));
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/dashboard');
    expect(callback.headers['referrer-policy']).toBe('no-referrer');

    // Fixation defence: the pre-login session id is gone, a new one holds the user.
    const ids = Object.keys(sessions(h.store));
    expect(ids).toHaveLength(1);
    expect(ids[0]).not.toBe(pendingId);

    const me = await h.agent.get('/auth/session').expect(200);
    expect(me.body.user).toMatchObject({
      provider: 'google',
      email: h.emulator.users('google')[0]?.email,
      name: h.emulator.users('google')[0]?.name,
      identities: [{ provider: 'google', subject: h.emulator.users('google')[0]?.sub }],
    });
    await h.agent.get('/private').expect(200);
    expect(h.emulator.count('google', 'token')).toBe(1);

    const out = await logout(h.agent);
    expect(out.headers.location).toBe('/');
    expect(Object.keys(sessions(h.store))).not.toContain(ids[0]);
    await h.agent.get('/auth/session').expect(401);
    await h.agent.get('/private').expect(401);
  });

  test('the same identity signs in to the same user', async () => {
    await signIn(h);
    const first = (await h.agent.get('/auth/session')).body.user.id;
    const other = h.newAgent();
    await signIn(h, { agent: other });
    expect((await other.get('/auth/session')).body.user.id).toBe(first);
  });

  test('PKCE: the challenge is S256 of the verifier kept in the session', async () => {
    const authorize = await start(h.agent);
    const [flow] = Object.values(Object.values(sessions(h.store))[0]?.socialauth?.flows ?? {});
    const expected = createHash('sha256').update(flow!.verifier!).digest('base64url');
    expect(authorize.searchParams.get('code_challenge')).toBe(expected);
    expect(Buffer.from(flow!.verifier!, 'base64url')).toHaveLength(32);
  });

  test('two flows in flight in one session (two tabs) both complete', async () => {
    const tab1 = await start(h.agent, 'google', '/one');
    const tab2 = await start(h.agent, 'google', '/two');
    const back1 = await consent(tab1);
    const back2 = await consent(tab2, { user: h.emulator.users('google')[1]?.sub });
    expect((await h.agent.get(back2)).headers.location).toBe('/two');
    expect((await h.agent.get('/auth/session')).body.user.email).toBe(
      h.emulator.users('google')[1]?.email,
    );
    expect((await h.agent.get(back1)).headers.location).toBe('/one');
    expect((await h.agent.get('/auth/session')).body.user.email).toBe(
      h.emulator.users('google')[0]?.email,
    );
  });

  test('deny at the consent page: error page with access_denied, no session, no token call', async () => {
    const authorize = await start(h.agent);
    const res = await h.agent.get(await consent(authorize, { deny: true }));
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/auth/error?error=access_denied');
    const page = await h.agent.get('/auth/error?error=access_denied').expect(200);
    expect(page.text).toContain('Sign-in was cancelled at the provider.');
    await h.agent.get('/auth/session').expect(401);
    expect(h.emulator.count('google', 'token')).toBe(0);
  });

  test('API clients get JSON errors instead of redirects', async () => {
    const authorize = await start(h.agent);
    const res = await h.agent
      .get(await consent(authorize, { deny: true }))
      .set('Accept', 'application/json');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: { code: 'access_denied', message: 'Sign-in was cancelled at the provider.' },
    });
  });

  test('an unknown provider is a typed 404', async () => {
    const res = await h.agent.get('/auth/myspace').set('Accept', 'application/json').expect(404);
    expect(res.body.error.code).toBe('unknown_provider');
    const page = await h.agent.get('/auth/myspace/callback?code=x&state=y').expect(404);
    expect(page.text).toContain('There is no such sign-in provider.');
    expect(h.emulator.count('google', 'token')).toBe(0);
  });

  test('GET /auth/providers lists buttons; /auth/session is 401 when anonymous', async () => {
    const res = await h.agent.get('/auth/providers').expect(200);
    expect(res.body.providers[0]).toEqual({
      id: 'google',
      name: 'Google',
      loginURL: '/auth/google',
    });
    const anon = await h.agent.get('/auth/session').expect(401);
    expect(anon.body.error.code).toBe('unauthenticated');
    expect(cookieOf(anon)).toBeUndefined();
  });

  test('logout from another site is refused', async () => {
    await signIn(h);
    const res = await h.agent
      .post('/auth/logout')
      .set('Origin', 'https://evil.example')
      .set('Accept', 'application/json')
      .expect(403);
    expect(res.body.error.code).toBe('csrf_failed');
    await h.agent.get('/auth/session').expect(200);
  });

  test('requireAuth answers 401 JSON, or redirects browsers to the login path', async () => {
    const res = await h.agent.get('/private').expect(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });
});
