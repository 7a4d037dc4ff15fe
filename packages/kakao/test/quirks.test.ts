// One named test per Kakao quirk, each against the emulator over real HTTP.
import { DEFAULT_CLIENTS, type Emulator } from '@socialauth/emulator';
import { SocialAuthError, socialAuth } from '@socialauth/core';
import { type TokenSet } from '@socialauth/core/provider';
import { observed, SECRET, consent, start, startHarness, type Harness } from '@socialauth/testkit';
import { kakao, type KakaoOptions } from '../src';

const DAY = 24 * 60 * 60 * 1000;
let h: Harness;
let clock = Date.now();
const tokens: TokenSet[] = [];
const setup = async (extra: KakaoOptions = {}) => {
  tokens.length = 0;
  clock = Date.now();
  h = await startHarness(
    (emulator: Emulator) => ({
      providers: [
        observed(kakao({ ...DEFAULT_CLIENTS.kakao, origin: emulator.origin, ...extra }), tokens),
      ],
    }),
    undefined,
    { now: () => clock },
  );
};
afterEach(() => h.close());
const plugin = () => kakao({ ...DEFAULT_CLIENTS.kakao, origin: h.emulator.origin });

const signIn = async (user?: string) => {
  const back = await consent(await start(h.agent, 'kakao', '/done'), { user });
  return h.agent.get(back).set('Accept', 'application/json');
};

describe('kakao quirks', () => {
  test("Kakao's own paths at the override origin", async () => {
    await setup();
    const authorize = await start(h.agent, 'kakao');
    expect(authorize.origin).toBe(h.emulator.origin);
    expect(authorize.pathname).toBe('/oauth/authorize');
    expect((await signIn()).status).toBe(302);
    expect(h.emulator.count('kakao', 'token')).toBe(1);
    expect(h.emulator.count('kakao', 'userinfo')).toBe(1);
  });

  test('a missing clientSecret is a config error (Kakao turns client secrets on for new apps)', () => {
    const saved = process.env.KAKAO_CLIENT_SECRET;
    delete process.env.KAKAO_CLIENT_SECRET;
    try {
      expect(() =>
        socialAuth({
          baseURL: 'http://localhost:3000',
          secret: SECRET,
          providers: [kakao({ clientId: 'rest-api-key' })],
          logger: false,
        }),
      ).toThrow(/providers\[0\] \(kakao\): clientSecret is required; set KAKAO_CLIENT_SECRET/);
    } finally {
      if (saved !== undefined) process.env.KAKAO_CLIENT_SECRET = saved;
    }
  });

  test('PKCE S256 and comma-separated scopes', async () => {
    await setup({ scopes: ['profile_nickname', 'account_email'] });
    const authorize = await start(h.agent, 'kakao');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')).toBe('profile_nickname,account_email');
  });

  test('a user id above 2^53 survives a real sign-in digit for digit', async () => {
    await setup();
    await signIn('9007199254740993');
    const { user } = (await h.agent.get('/auth/session').expect(200)).body;
    expect(user.identities[0].subject).toBe('9007199254740993');
  });

  test('an account without email signs in normally', async () => {
    await setup({ scopes: ['profile_nickname', 'account_email'] });
    expect((await signIn('2718281828')).status).toBe(302);
    const { user } = (await h.agent.get('/auth/session').expect(200)).body;
    expect(user.email).toBeUndefined();
    expect(user.identities[0].subject).toBe('2718281828');
  });

  test('refresh keeps the old refresh token while more than a month remains', async () => {
    await setup();
    await signIn();
    const fresh = await plugin().refresh!(tokens[0]!);
    expect(fresh.refreshToken).toBe(tokens[0]!.refreshToken);
    expect(fresh.accessToken).not.toBe(tokens[0]!.accessToken);
  });

  test('refresh takes the new refresh token once less than a month remains', async () => {
    await setup();
    await signIn();
    clock += 31 * DAY;
    const fresh = await plugin().refresh!(tokens[0]!);
    expect(fresh.refreshToken).toBeDefined();
    expect(fresh.refreshToken).not.toBe(tokens[0]!.refreshToken);
  });

  test('an expired refresh token (KOE322) is reauth_required', async () => {
    await setup();
    await signIn();
    clock += 61 * DAY;
    await expect(plugin().refresh!(tokens[0]!)).rejects.toEqual(
      expect.objectContaining({ code: 'reauth_required' }),
    );
  });

  test('unlink via POST /v1/user/unlink; logout via POST /v1/user/logout', async () => {
    await setup();
    await signIn();
    await plugin().logout(tokens[0]!);
    expect(h.emulator.count('kakao', 'logout')).toBe(1);
    await signIn();
    await plugin().revoke!(tokens[1]!);
    expect(h.emulator.count('kakao', 'revoke')).toBe(1);
    await expect(plugin().revoke!(tokens[1]!)).rejects.toBeInstanceOf(SocialAuthError);
  });
});
