// GET /auth/account/export (issue 20, part 5): the user's data as JSON, for a data-access
// request: the user, identities without tokens, granted scopes, provider data, sessions.
import { observed, signIn, startHarness, type Harness } from '@socialauth/testkit';
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import type { TokenSet } from '../src/provider';

let h: Harness;
const tokens: TokenSet[] = [];
beforeEach(async () => {
  tokens.length = 0;
  h = await startHarness((emulator) => ({
    providers: [observed(google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin }), tokens)],
  }));
});
afterEach(() => h.close());

test('the signed-in user’s data, as a download, with no credential in it', async () => {
  await signIn(h, { user: 'alice' });
  const res = await h.agent.get('/auth/account/export').expect(200);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['content-disposition']).toBe('attachment; filename="account.json"');
  const body = res.body;
  expect(body.user).toMatchObject({ name: 'Alice Kim', email: 'alice.kim@gmail.com' });
  expect(body.identities).toEqual([
    expect.objectContaining({
      provider: 'google',
      subject: '104834925480000000001',
      emailVerified: true,
      scopes: expect.arrayContaining(['openid', 'https://www.googleapis.com/auth/userinfo.email']),
      providerData: expect.objectContaining({ sub: '104834925480000000001' }),
    }),
  ]);
  expect(body.sessions).toEqual([expect.objectContaining({ current: true, provider: 'google' })]);
  const text = JSON.stringify(body);
  expect(text).not.toContain(tokens[0]!.accessToken);
  expect(text).not.toContain(tokens[0]!.idToken!);
  expect(Date.parse(body.exportedAt)).toBeGreaterThan(0);
});

test('anonymous: 401', async () => {
  const res = await h.newAgent().get('/auth/account/export').set('Accept', 'application/json');
  expect([res.status, res.body.error.code]).toEqual([401, 'unauthenticated']);
});
