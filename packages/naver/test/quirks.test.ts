// One named test per Naver quirk, each against the emulator over real HTTP.
import { DEFAULT_CLIENTS, type Emulator } from '@socialauth/emulator';
import type { TokenSet } from '@socialauth/core/provider';
import { observed, consent, start, startHarness, type Harness } from '@socialauth/testkit';
import { naver, type NaverOptions } from '../src';

let h: Harness;
const tokens: TokenSet[] = [];
const setup = async (extra: NaverOptions = {}) => {
  tokens.length = 0;
  h = await startHarness((emulator: Emulator) => ({
    providers: [
      observed(naver({ ...DEFAULT_CLIENTS.naver, origin: emulator.origin, ...extra }), tokens),
    ],
  }));
};
afterEach(() => h.close());

const signIn = async (options: Parameters<typeof consent>[1] = {}) => {
  const back = await consent(await start(h.agent, 'naver', '/done'), options);
  return h.agent.get(back).set('Accept', 'application/json');
};

describe('naver quirks', () => {
  test('state is always sent; no PKCE on the classic endpoints', async () => {
    await setup();
    const authorize = await start(h.agent, 'naver');
    expect(authorize.pathname).toBe('/oauth2.0/authorize');
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.has('code_challenge')).toBe(false);
  });

  test("authType: 'reprompt' asks again for declined items", async () => {
    await setup({ authType: 'reprompt' });
    expect((await start(h.agent, 'naver')).searchParams.get('auth_type')).toBe('reprompt');
  });

  test('expires_in arrives as a string and still sets an expiry', async () => {
    await setup();
    await signIn();
    expect(tokens[0]!.expiresAt).toBeGreaterThan(Date.now() + 3500_000);
    expect(tokens[0]!.expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);
  });

  test('a token response carrying error with HTTP 200 is an error, never a token', async () => {
    await setup();
    h.emulator.failNext('naver', 'token', {
      kind: 'error-200',
      body: { error: 'invalid_request', error_description: 'no valid data in session' },
    });
    const res = await signIn();
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('token_exchange_failed');
    expect(h.logs.join('\n')).toContain('invalid_request: no valid data in session');
    await h.agent.get('/auth/session').expect(401);
  });

  test('resultcode !== "00" with HTTP 200 is profile_fetch_failed with Naver\'s message', async () => {
    await setup();
    h.emulator.failNext('naver', 'userinfo', {
      kind: 'error-200',
      body: { resultcode: '024', message: 'Authentication failed' },
    });
    const res = await signIn();
    expect(res.body.error.code).toBe('profile_fetch_failed');
    expect(h.logs.join('\n')).toContain('Naver answered 024: Authentication failed');
  });

  test('refresh returns no refresh token: the old one is kept', async () => {
    await setup();
    await signIn();
    const fresh = await naver({ ...DEFAULT_CLIENTS.naver, origin: h.emulator.origin }).refresh!(
      tokens[0]!,
    );
    expect(fresh.refreshToken).toBe(tokens[0]!.refreshToken);
    expect(fresh.accessToken).not.toBe(tokens[0]!.accessToken);
  });

  test('declined email: the user signs in without one', async () => {
    await setup();
    expect((await signIn({ decline: ['email'] })).status).toBe(302);
    const { user } = (await h.agent.get('/auth/session').expect(200)).body;
    expect(user.email).toBeUndefined();
    expect(user.name).toBeDefined();
  });

  test('ids are per app: the subject is what Naver reports to this client', async () => {
    await setup();
    await signIn({ user: 'minji' });
    const { user } = (await h.agent.get('/auth/session')).body;
    const expected = h.emulator.subject('naver', 'minji', DEFAULT_CLIENTS.naver.clientId);
    expect(user.identities[0].subject).toBe(expected);
    expect(expected).not.toBe(h.emulator.subject('naver', 'minji', 'another-app'));
  });

  test('revoke goes to POST /oauth2.0/revoke and tolerates a token Naver no longer knows', async () => {
    await setup();
    await signIn();
    const plugin = naver({ ...DEFAULT_CLIENTS.naver, origin: h.emulator.origin });
    await plugin.revoke!(tokens[0]!);
    await plugin.revoke!(tokens[0]!);
    expect(h.emulator.count('naver', 'revoke')).toBe(2);
  });
});
