// Issue 17, "back-channel requests follow redirects": a token, revoke or profile endpoint that
// answers 307/308 must not get the refresh token, the client secret or the access token re-sent
// to wherever Location points (SECURITY.md "Back-channel requests"). The emulator answers the
// redirect; a second local server (the recorder) stands where it points and records anything
// that reaches it, answering like a token endpoint so a client that followed would be fooled.
import { DEFAULT_CLIENTS, startEmulator, type Emulator } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import { naver } from '@socialauth/naver';
import { SocialAuthError, type ProviderPlugin } from '../src';
import { clientCredentials } from '../src/provider';
import { oidcDiscovery } from '../src/provider/discovery';
import { consent, start, startHarness } from '@socialauth/testkit';
import { startRecorder, type Recorder } from './recorder';

let emulator: Emulator;
let recorder: Recorder;
beforeAll(async () => {
  [emulator, recorder] = await Promise.all([startEmulator({ port: 0 }), startRecorder()]);
});
afterAll(() => Promise.all([emulator.stop(), recorder.stop()]));
afterEach(() => {
  recorder.received.length = 0;
});

const tokens = { accessToken: 'access-1', refreshToken: 'refresh-1' };
const plugins = () => ({
  google: google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin }),
  naver: naver({ ...DEFAULT_CLIENTS.naver, origin: emulator.origin }),
  kakao: kakao({
    ...DEFAULT_CLIENTS.kakao,
    appId: DEFAULT_CLIENTS.kakao.appId,
    origin: emulator.origin,
  }),
});

async function refusal(call: () => Promise<unknown>): Promise<SocialAuthError> {
  const err = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SocialAuthError);
  return err as SocialAuthError;
}

type Provider = 'google' | 'naver' | 'kakao';
type Call = (p: Record<Provider, ProviderPlugin>) => Promise<unknown>;
const cases: [string, Provider, 'token' | 'revoke' | 'tokeninfo', string, Call][] = [
  ['Google refresh', 'google', 'token', 'refresh_failed', (p) => p.google.refresh!(tokens)],
  ['Naver refresh', 'naver', 'token', 'refresh_failed', (p) => p.naver.refresh!(tokens)],
  ['Kakao refresh', 'kakao', 'token', 'refresh_failed', (p) => p.kakao.refresh!(tokens)],
  ['Google revoke', 'google', 'revoke', 'revoke_failed', (p) => p.google.revoke!(tokens)],
  ['Naver delete', 'naver', 'revoke', 'revoke_failed', (p) => p.naver.revoke!(tokens)],
  ['Kakao unlink', 'kakao', 'revoke', 'revoke_failed', (p) => p.kakao.revoke!(tokens)],
  [
    'Naver app-token refresh',
    'naver',
    'token',
    'token_exchange_failed',
    (p) => p.naver.tokenSignIn!({ refreshToken: 'refresh-1' }),
  ],
  [
    'Kakao access_token_info',
    'kakao',
    'tokeninfo',
    'profile_fetch_failed',
    (p) => p.kakao.tokenSignIn!({ accessToken: 'access-1' }),
  ],
];

describe.each([307, 308] as const)('a %i from the provider', (status) => {
  test.each(cases)('%s: a typed error, and nothing reaches the redirect target', async (...c) => {
    const [, provider, endpoint, code, call] = c;
    emulator.failNext(provider, endpoint, {
      kind: 'redirect',
      status,
      location: `${recorder.origin}/stolen`,
    });
    const err = await refusal(() => call(plugins()));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(/redirect/);
    expect(String((err.cause as Error | undefined)?.message)).toMatch(/redirect refused/);
    expect(recorder.received).toEqual([]);
  });

  test('clientCredentials(): token_exchange_failed; the secret goes nowhere else', async () => {
    emulator.failNext('google', 'token', {
      kind: 'redirect',
      status,
      location: `${recorder.origin}/token`,
    });
    const api = clientCredentials({
      tokenURL: `${emulator.origin}/token`,
      ...DEFAULT_CLIENTS.google,
    });
    const err = await refusal(() => api.token());
    expect(err.code).toBe('token_exchange_failed');
    expect(String((err.cause as Error | undefined)?.message)).toMatch(/redirect refused/);
    expect(recorder.received).toEqual([]);
  });

  test('Google JWKS: id_token_invalid; the keys are not read from elsewhere', async () => {
    const { google: g } = plugins();
    const idToken = await emulator.appIdToken('google', {
      user: '104834925480000000001',
      clientId: DEFAULT_CLIENTS.google.clientId,
    });
    emulator.failNext('google', 'jwks', {
      kind: 'redirect',
      status,
      location: `${recorder.origin}/certs`,
    });
    const err = await refusal(() => g.tokenSignIn!({ idToken }));
    expect(err.code).toBe('id_token_invalid');
    expect(recorder.received).toEqual([]);
  });

  test('OIDC discovery: provider_error; the document is not read from elsewhere', async () => {
    emulator.failNext('google', 'discovery', {
      kind: 'redirect',
      status,
      location: `${recorder.origin}/.well-known/openid-configuration`,
    });
    const discovery = oidcDiscovery({
      issuer: 'https://accounts.google.com',
      origin: emulator.origin,
      ttlMs: 60_000,
      timeoutMs: 2_000,
    });
    const err = await refusal(() => discovery.get());
    expect(err.code).toBe('provider_error');
    expect(err.message).toMatch(/redirect/);
    expect(recorder.received).toEqual([]);
  });
});

// node-oauth (under passport-oauth2) never followed redirects, but it took a 301/302 body as a
// success; now every 3xx is refused with a cause that says so.
describe.each([302, 307] as const)('browser sign-in, a %i from the provider', (status) => {
  test.each([
    ['token', 'token_exchange_failed'],
    ['userinfo', 'profile_fetch_failed'],
  ] as const)('at %s: %s error page, the cause logged', async (endpoint, code) => {
    const h = await startHarness();
    try {
      h.emulator.failNext('google', endpoint, {
        kind: 'redirect',
        status,
        location: `${recorder.origin}/stolen`,
      });
      const back = await consent(await start(h.agent));
      const res = await h.agent.get(back).expect(302);
      expect(res.headers.location).toBe(`/auth/error?error=${code}`);
      await h.agent.get('/auth/session').expect(401);
      expect(h.logs.join('\n')).toMatch(/redirect refused/);
      expect(recorder.received).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
