import { DEFAULT_CLIENTS, DEFAULT_USERS, type Emulator } from '@socialauth/emulator';
import { startExample } from '../src/example';

// Issue 10's scripted "mobile app": an app with no cookie jar signs its user in to the example
// app with what each provider's SDK handed it (played by the emulator), keeps the session as a
// bearer token, reads the session with it and signs out. Plain fetch over real HTTP, as an app
// would; a token another app obtained gets nowhere.
type Example = Awaited<ReturnType<typeof startExample>>;
let example: Example;
let emulator: Emulator;

beforeAll(async () => {
  for (const p of ['GOOGLE', 'NAVER', 'KAKAO']) delete process.env[`${p}_CLIENT_ID`];
  example = await startExample({ port: 0, log: () => {} });
  emulator = example.emulator!;
}, 30_000);
afterAll(() => example?.stop());

/** The JSON answers this script reads. */
interface SignInBody {
  user: { id: string; identities: { provider: string }[] };
  sessionToken?: string;
  csrfToken?: string;
  error: { code: string };
}

/** One call of the app to the server: JSON, never a cookie, the session as `Authorization`. */
async function call(path: string, init: { body?: object; bearer?: string; csrf?: string } = {}) {
  const res = await fetch(`${example.url}${path}`, {
    method: init.body || init.csrf ? 'POST' : 'GET',
    headers: {
      Accept: 'application/json',
      ...(init.body && { 'Content-Type': 'application/json' }),
      ...(init.bearer && { Authorization: `Bearer ${init.bearer}` }),
      ...(init.csrf && { 'X-CSRF-Token': init.csrf }),
    },
    body: init.body && JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as SignInBody };
}

const google = DEFAULT_USERS.google[0]!.sub;
const kakao = DEFAULT_USERS.kakao[0]!.id;
const naver = DEFAULT_USERS.naver[0]!.key;

// What each SDK hands the app, for this app's client or another app's.
const SDKS: [string, string, (clientId?: string) => Promise<object>][] = [
  [
    'Google Sign-In (ID token)',
    'google',
    async (clientId = DEFAULT_CLIENTS.google.clientId) => ({
      idToken: await emulator.appIdToken('google', { user: google, clientId, nonce: 'n-1' }),
      nonce: 'n-1',
    }),
  ],
  [
    'the Kakao SDK (access token)',
    'kakao',
    async (clientId = DEFAULT_CLIENTS.kakao.clientId) => ({
      accessToken: emulator.appAccessToken('kakao', { user: kakao, clientId }),
    }),
  ],
  [
    'the Kakao SDK with openid (ID token)',
    'kakao',
    async (clientId = DEFAULT_CLIENTS.kakao.clientId) => ({
      idToken: await emulator.appIdToken('kakao', { user: kakao, clientId }),
    }),
  ],
  [
    'the Naver login SDK (access and refresh token)',
    'naver',
    async (clientId = DEFAULT_CLIENTS.naver.clientId) =>
      emulator.appTokens('naver', { user: naver, clientId }),
  ],
];

test.each(SDKS)('signs in with %s, uses the session token, signs out', async (_n, id, sdk) => {
  const signIn = await call(`/auth/${id}/token`, { body: { ...(await sdk()), session: 'token' } });
  expect(signIn.status).toBe(200);
  const bearer = signIn.body.sessionToken!;
  expect(signIn.body.user.identities.map((i) => i.provider)).toEqual([id]);

  const me = await call('/auth/session', { bearer });
  expect(me.status).toBe(200);
  expect(me.body.user.id).toBe(signIn.body.user.id);

  const { csrfToken } = (await call('/auth/csrf', { bearer })).body;
  expect((await call('/auth/logout', { bearer, csrf: csrfToken! })).status).toBe(204);
  expect((await call('/auth/session', { bearer })).status).toBe(401);
});

test.each(SDKS)('refuses %s when it signed in to another app', async (_n, id, sdk) => {
  const other = `another-${id}-app`;
  const provider = id as 'google' | 'kakao' | 'naver';
  emulator.registerClient({ provider, clientId: other, clientSecret: 's', appId: '2000002' });
  const res = await call(`/auth/${id}/token`, {
    body: { ...(await sdk(other)), session: 'token' },
  });
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe('token_audience_mismatch');
  expect(res.body.sessionToken).toBeUndefined();
});
