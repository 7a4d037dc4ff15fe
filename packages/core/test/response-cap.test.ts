// Issue 17, "provider response bodies capped": an 8 MB userinfo cost 38 MB of memory. Every
// provider answer is read up to MAX_PROVIDER_RESPONSE_BYTES (1 MiB); past it the request ends
// with the route's typed error and the connection is closed, so the rest is never sent. The
// emulator streams the oversized body 64 KiB a millisecond, and reports how much it wrote
// before the client hung up.
import { DEFAULT_CLIENTS, startEmulator, type Emulator } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import { SocialAuthError } from '../src';
import { MAX_PROVIDER_RESPONSE_BYTES } from '../src/provider';
import { oidcDiscovery } from '../src/provider/discovery';
import { consent, start, startHarness } from '@socialauth/testkit';

const EIGHT_MB = 8 * 1024 * 1024;
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.stop());

/** Queues an 8 MB answer; resolves with the bytes the emulator wrote once the response closed. */
function oversized(
  target: Emulator,
  provider: 'google' | 'kakao',
  endpoint: 'token' | 'userinfo' | 'tokeninfo' | 'discovery' | 'jwks',
  declareLength = false,
): Promise<number> {
  return new Promise((resolve) =>
    target.failNext(provider, endpoint, {
      kind: 'oversized',
      bytes: EIGHT_MB,
      declareLength,
      onClose: resolve,
    }),
  );
}

async function refusal(call: () => Promise<unknown>): Promise<SocialAuthError> {
  const err = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SocialAuthError);
  return err as SocialAuthError;
}

test('the cap is 1 MiB', () => {
  expect(MAX_PROVIDER_RESPONSE_BYTES).toBe(1024 * 1024);
});

const plugin = () => google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin });
const tokens = { accessToken: 'a', refreshToken: 'r' };

test.each([false, true])(
  'refresh: an 8 MB token answer (Content-Length declared: %s) is refresh_failed, read no further',
  async (declareLength) => {
    const written = oversized(emulator, 'google', 'token', declareLength);
    const err = await refusal(() => plugin().refresh!(tokens));
    expect(err.code).toBe('refresh_failed');
    expect(err.message).toMatch(/exceeded 1048576 bytes/);
    // The client hung up after at most the cap (plus what was in flight), not after 8 MB.
    expect(await written).toBeLessThan(EIGHT_MB / 2);
    if (declareLength) expect(await written).toBeLessThan(MAX_PROVIDER_RESPONSE_BYTES);
  },
);

test('Kakao access_token_info: an 8 MB answer is profile_fetch_failed', async () => {
  const written = oversized(emulator, 'kakao', 'tokeninfo');
  const k = kakao({ ...DEFAULT_CLIENTS.kakao, origin: emulator.origin });
  const err = await refusal(() => k.tokenSignIn!({ accessToken: 'a' }));
  expect(err.code).toBe('profile_fetch_failed');
  expect(err.message).toMatch(/exceeded/);
  expect(await written).toBeLessThan(EIGHT_MB / 2);
});

test('OIDC discovery: an 8 MB document is provider_error', async () => {
  const written = oversized(emulator, 'google', 'discovery');
  const discovery = oidcDiscovery({
    issuer: 'https://accounts.google.com',
    origin: emulator.origin,
    ttlMs: 60_000,
    timeoutMs: 5_000,
  });
  const err = await refusal(() => discovery.get());
  expect(err.code).toBe('provider_error');
  expect(err.message).toMatch(/exceeded/);
  expect(await written).toBeLessThan(EIGHT_MB / 2);
});

test('Google Sign-In: an 8 MB JWKS is id_token_invalid, read no further', async () => {
  const g = plugin();
  const idToken = await emulator.appIdToken('google', {
    user: '104834925480000000001',
    clientId: DEFAULT_CLIENTS.google.clientId,
  });
  const written = oversized(emulator, 'google', 'jwks');
  const err = await refusal(() => g.tokenSignIn!({ idToken }));
  expect(err.code).toBe('id_token_invalid');
  expect(String((err.cause as Error).message)).toMatch(/exceeded/);
  expect(await written).toBeLessThan(EIGHT_MB / 2);
  // The next try reads the keys again, and the token verifies.
  expect((await g.tokenSignIn!({ idToken })).profile.id).toBe('104834925480000000001');
});

// The browser sign-in's token and userinfo requests go through node-oauth, which buffered any
// body whole.
test.each([
  ['token', 'token_exchange_failed'],
  ['userinfo', 'profile_fetch_failed'],
] as const)('browser sign-in: an 8 MB %s answer is %s, read no further', async (endpoint, code) => {
  const h = await startHarness();
  try {
    const written = oversized(h.emulator, 'google', endpoint);
    const back = await consent(await start(h.agent));
    const res = await h.agent.get(back).expect(302);
    expect(res.headers.location).toBe(`/auth/error?error=${code}`);
    await h.agent.get('/auth/session').expect(401);
    expect(h.logs.join('\n')).toMatch(/exceeded 1048576 bytes/);
    expect(await written).toBeLessThan(EIGHT_MB / 2);
  } finally {
    await h.close();
  }
});
