// Issue 10, native-SDK token login for Kakao: an app that signed the user in with the Kakao SDK
// hands its access token to POST /auth/kakao/token. Kakao's token-info API must say it was issued
// to this app (its app_id): a bearer token proves nothing about its audience by itself (RFC 6749
// §10.16), and any app's token would otherwise sign its users in here.
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import express from 'express';
import { startHarness, type Harness } from '@socialauth/testkit';
import { kakao } from '../src';

const USER = '9007199254740993'; // above 2^53: the id must survive the token-info answer too
let h: Harness;
beforeEach(async () => {
  const app = express();
  h = await startHarness(
    (emulator) => ({ providers: [kakao({ ...DEFAULT_CLIENTS.kakao, origin: emulator.origin })] }),
    app,
  );
  // An app route calling Kakao with the user's stored token.
  app.get('/kakao-me', async (req, res) => {
    const me = await req.socialAuth.fetch('kakao', `${h.emulator.origin}/v2/user/me`);
    res.status(me.status).send(await me.text());
  });
});
afterEach(() => h.close());

const post = (body: object, agent = h.agent) =>
  agent.post('/auth/kakao/token').set('Accept', 'application/json').send(body);
const appToken = (clientId: string = DEFAULT_CLIENTS.kakao.clientId) =>
  h.emulator.appAccessToken('kakao', { user: USER, clientId });

test('an access token from this app signs in, and its token serves req.socialAuth', async () => {
  const res = await post({ accessToken: appToken() }).expect(200);
  expect(res.body.user.identities[0].subject).toBe(USER);
  expect(h.emulator.count('kakao', 'tokeninfo')).toBe(1);
  await h.agent.get('/auth/session').expect(200);
  expect((await h.agent.get('/kakao-me').expect(200)).text).toContain(`"id":${USER}`);
});

test("another app's token is refused before its profile is read", async () => {
  h.emulator.registerClient({
    provider: 'kakao',
    clientId: 'another-rest-api-key',
    clientSecret: 'x',
    appId: '2000002',
  });
  const res = await post({ accessToken: appToken('another-rest-api-key') }).expect(401);
  expect(res.body.error.code).toBe('token_audience_mismatch');
  expect(h.emulator.count('kakao', 'userinfo')).toBe(0);
  await h.agent.get('/auth/session').expect(401);
});

test('a dead token, or none: invalid_request, nobody signed in', async () => {
  expect((await post({ accessToken: 'not-a-token' }).expect(400)).body.error.code).toBe(
    'invalid_request',
  );
  expect((await post({}).expect(400)).body.error.code).toBe('invalid_request');
  expect((await post({ idToken: 'x' })).body.error.code).toBe('id_token_invalid');
  await h.agent.get('/auth/session').expect(401);
});

test('without the app id, an access token cannot be checked, so it is refused', async () => {
  await h.close();
  const { appId: _appId, ...withoutAppId } = DEFAULT_CLIENTS.kakao;
  const saved = process.env.KAKAO_APP_ID;
  delete process.env.KAKAO_APP_ID;
  try {
    h = await startHarness((emulator) => ({
      providers: [kakao({ ...withoutAppId, origin: emulator.origin })],
    }));
    const res = await post({ accessToken: appToken() }).expect(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(h.emulator.count('kakao', 'tokeninfo')).toBe(0);
  } finally {
    if (saved !== undefined) process.env.KAKAO_APP_ID = saved;
  }
});

// The Kakao SDK with `openid` also hands the app an ID token: its aud must be one of this app's
// keys (the REST API key, or an app key listed in `appKeys`). OIDC Core §3.1.3.7.
test('a Kakao ID token for this app signs in; one for another app does not', async () => {
  const idToken = await h.emulator.appIdToken('kakao', {
    user: USER,
    clientId: DEFAULT_CLIENTS.kakao.clientId,
    nonce: 'n-1',
  });
  const res = await post({ idToken, nonce: 'n-1' }).expect(200);
  expect(res.body.user.identities[0].subject).toBe(USER);
  const other = await h.emulator.appIdToken('kakao', { user: USER, clientId: 'another-app-key' });
  const refused = await post({ idToken: other }, h.newAgent()).expect(401);
  expect(refused.body.error.code).toBe('token_audience_mismatch');
});
