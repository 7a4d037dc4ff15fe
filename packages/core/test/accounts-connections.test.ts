// Connect, disconnect (with revoke at the provider), the last-identity rule and CSRF.
import { memoryAccounts } from '../src';
import {
  connect,
  disconnect,
  me,
  signInAs,
  startAccountsHarness,
  type AccountsHarness,
  csrfToken,
} from '@socialauth/testkit';

let h: AccountsHarness;
beforeEach(async () => {
  h = await startAccountsHarness(memoryAccounts());
  await signInAs(h, 'google', '200000000000000000002');
});
afterEach(() => h.close());

test('connect Naver and Kakao, then disconnect down to the last identity', async () => {
  expect((await connect(h, 'naver', 'minji')).headers.location).toBe('/connections');
  expect((await connect(h, 'kakao', '9007199254740997')).status).toBe(302);
  const linked = await me(h.agent);
  expect(linked.identities?.map((i) => i.provider).sort()).toEqual(['google', 'kakao', 'naver']);
  expect(h.events.filter((e) => e.startsWith('link:'))).toEqual(['link:naver', 'link:kakao']);

  const naver = await disconnect(h, 'naver');
  expect(naver.status).toBe(200);
  expect(h.emulator.count('naver', 'revoke')).toBe(1);
  expect((await disconnect(h, 'kakao')).status).toBe(200);
  expect(h.emulator.count('kakao', 'revoke')).toBe(1);

  const last = await disconnect(h, 'google');
  expect(last.status).toBe(409);
  expect(last.body.error.code).toBe('last_identity');
  expect(h.emulator.count('google', 'revoke')).toBe(0);
  expect((await me(h.agent)).identities?.map((i) => i.provider)).toEqual(['google']);
  expect(h.events).toEqual(expect.arrayContaining(['unlink:naver', 'unlink:kakao']));
});

test('a failed revoke at the provider still unlinks locally and reaches onError', async () => {
  await connect(h, 'kakao', '9007199254740997');
  h.emulator.failNext('kakao', 'revoke', {
    kind: 'status',
    status: 500,
    body: 'Internal Server Error',
  });
  const res = await disconnect(h, 'kakao');
  expect(res.status).toBe(200);
  expect(h.emulator.count('kakao', 'revoke')).toBe(1);
  expect((await me(h.agent)).identities?.map((i) => i.provider)).toEqual(['google']);
  expect(h.events).toContain('error:revoke_failed:kakao');
});

test('the session lists identities (provider, subject, email, linked at) and never tokens', async () => {
  await connect(h, 'naver', 'minji');
  const body = (await h.agent.get('/auth/session').expect(200)).text;
  const { identities } = JSON.parse(body) as { identities: Record<string, unknown>[] };
  expect(Object.keys(identities[0]!).sort()).toEqual(['email', 'linkedAt', 'provider', 'subject']);
  expect(body).not.toMatch(/ya29\.|1\/\/0|token/i);
});

describe('CSRF on the POST routes', () => {
  test.each([
    ['connect', '/auth/naver/connect'],
    ['disconnect', '/auth/google/disconnect'],
    ['logout', '/auth/logout'],
  ])('%s without a token, or with a wrong one: 403 csrf_failed', async (_name, path) => {
    const missing = await h.agent.post(path).set('Accept', 'application/json');
    expect(missing.status).toBe(403);
    expect(missing.body.error.code).toBe('csrf_failed');
    await csrfToken(h.agent);
    const wrong = await h.agent
      .post(path)
      .set('X-CSRF-Token', 'x'.repeat(40))
      .set('Accept', 'application/json');
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('csrf_failed');
    expect((await me(h.agent)).user).toBeDefined();
    expect(h.emulator.count('naver', 'authorize')).toBe(0);
  });

  test('a token from another session is refused', async () => {
    const other = h.newAgent();
    await signInAs(h, 'google', '200000000000000000001', other);
    const res = await h.agent
      .post('/auth/google/disconnect')
      .set('X-CSRF-Token', await csrfToken(other))
      .set('Accept', 'application/json');
    expect(res.body.error.code).toBe('csrf_failed');
  });

  test('a form field works as well as the header', async () => {
    const res = await h.agent
      .post('/auth/naver/connect')
      .type('form')
      .send({ _csrf: await csrfToken(h.agent) });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.location as string).pathname).toBe('/oauth2.0/authorize');
  });

  test('connect needs a signed-in user', async () => {
    const anon = h.newAgent();
    const res = await anon
      .post('/auth/naver/connect')
      .set('X-CSRF-Token', await csrfToken(anon))
      .set('Accept', 'application/json');
    expect(res.status).toBe(401);
  });
});

test('two Google accounts: the app names which with { subject }; without it, invalid_request', async () => {
  h.app.get('/api/google-me', async (req, res) => {
    const subject = typeof req.query.subject === 'string' ? req.query.subject : undefined;
    try {
      const answer = await req.socialAuth.fetch('google', `${h.emulator.origin}/v1/userinfo`, {
        subject,
      });
      res.json(await answer.json());
    } catch (err) {
      res.json({ error: (err as { code?: string }).code });
    }
  });
  const call = async (subject?: string) =>
    (await h.agent.get(`/api/google-me${subject ? `?subject=${subject}` : ''}`)).body as {
      sub?: string;
      error?: string;
    };
  // One Google identity: used without naming it.
  expect((await call()).sub).toBe('200000000000000000002');
  expect((await connect(h, 'google', '200000000000000000001')).status).toBe(302);
  expect(await call()).toEqual({ error: 'invalid_request' });
  for (const subject of ['200000000000000000001', '200000000000000000002']) {
    expect((await call(subject)).sub).toBe(subject);
  }
  expect(await call('200000000000000000003')).toEqual({ error: 'unknown_provider' });
});
