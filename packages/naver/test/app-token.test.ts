// Issue 10, native-SDK token login for Naver: an app that signed the user in with the Naver login
// SDK hands its tokens to POST /auth/naver/token. Naver names no app for an access token
// (/v1/nid/verify answers validity, expiry and allowed items only), so the refresh token is
// renewed with this app's credentials, which an authorization server does only for a grant of
// that client (RFC 6749 §6); the app's own access token must name the same per-app id.
import { DEFAULT_CLIENTS, DEFAULT_USERS } from '@socialauth/emulator';
import express from 'express';
import { consent, start, startHarness, type Harness } from '@socialauth/testkit';
import { naver } from '../src';

const USER = DEFAULT_USERS.naver[0]!.key;
const OTHER_USER = DEFAULT_USERS.naver[1]!.key;
const clientId: string = DEFAULT_CLIENTS.naver.clientId;
let h: Harness;
beforeEach(async () => {
  const app = express();
  h = await startHarness(
    (emulator) => ({ providers: [naver({ ...DEFAULT_CLIENTS.naver, origin: emulator.origin })] }),
    app,
  );
  // An app route calling Naver with the user's stored token.
  app.get('/naver-me', async (req, res) => {
    const me = await req.socialAuth.fetch('naver', `${h.emulator.origin}/v1/nid/me`);
    res.status(me.status).send(await me.text());
  });
});
afterEach(() => h.close());

const post = (body: object, agent = h.agent) =>
  agent.post('/auth/naver/token').set('Accept', 'application/json').send(body);
const sdkTokens = (user = USER, client = clientId) =>
  h.emulator.appTokens('naver', { user, clientId: client });
function anotherApp(): string {
  h.emulator.registerClient({ provider: 'naver', clientId: 'another-app', clientSecret: 's' });
  return 'another-app';
}

test("the SDK's tokens sign in as the browser's identity, and the renewed token is kept", async () => {
  const res = await post(sdkTokens()).expect(200);
  const [identity] = res.body.user.identities;
  expect(identity.subject).toBe(h.emulator.subject('naver', USER, clientId));
  // The app's access token, one renewal, then the profile with the renewed token.
  expect(h.emulator.count('naver', 'token')).toBe(1);
  expect(h.emulator.count('naver', 'userinfo')).toBe(2);
  await h.agent.get('/auth/session').expect(200);
  expect((await h.agent.get('/naver-me').expect(200)).text).toContain(identity.subject);

  // The same person signing in on the web lands on the same user.
  const web = h.newAgent();
  await web.get(await consent(await start(web, 'naver'), { user: USER })).expect(302);
  const session = (await web.get('/auth/session').expect(200)).body;
  expect(session.user.id).toBe(res.body.user.id);
});

test('the refresh token alone signs in', async () => {
  const { refreshToken } = sdkTokens();
  const res = await post({ refreshToken }).expect(200);
  expect(res.body.user.identities[0].subject).toBe(h.emulator.subject('naver', USER, clientId));
  expect(h.emulator.count('naver', 'userinfo')).toBe(1);
});

test("another app's tokens are refused: Naver renews them only for that app", async () => {
  const res = await post(sdkTokens(USER, anotherApp())).expect(401);
  expect(res.body.error.code).toBe('token_audience_mismatch');
  await h.agent.get('/auth/session').expect(401);
});

test("this app's refresh token with another app's or another user's access token is refused", async () => {
  const { refreshToken } = sdkTokens();
  // Naver's ids are per application: the same person through another app has another id.
  const foreign = sdkTokens(USER, anotherApp()).accessToken;
  const someoneElse = sdkTokens(OTHER_USER).accessToken;
  for (const accessToken of [foreign, someoneElse]) {
    const res = await post({ accessToken, refreshToken }).expect(401);
    expect(res.body.error.code).toBe('token_audience_mismatch');
  }
  await h.agent.get('/auth/session').expect(401);
});

test('an access token alone, an ID token, a dead or revoked token: typed errors, nobody signed in', async () => {
  const { accessToken, refreshToken } = sdkTokens();
  const alone = await post({ accessToken }).expect(400);
  expect(alone.body.error).toMatchObject({ code: 'invalid_request' });
  expect(h.emulator.count('naver', 'userinfo')).toBe(0); // refused before asking Naver
  expect((await post({ idToken: 'x.y.z' }).expect(400)).body.error.code).toBe('invalid_request');
  const dead = await post({ accessToken: 'AAAAO-dead', refreshToken }).expect(400);
  expect(dead.body.error.code).toBe('invalid_request');
  expect((await post({ refreshToken: 'no-such-token' }).expect(401)).body.error.code).toBe(
    'token_audience_mismatch',
  );
  // The user ended the app's access at Naver (연결 끊기): the grant is gone.
  await fetch(`${h.emulator.origin}/oauth2.0/revoke`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: clientId,
      client_secret: DEFAULT_CLIENTS.naver.clientSecret,
      token: refreshToken,
    }),
  });
  const revoked = await post({ refreshToken }).expect(401);
  expect(revoked.body.error.code).toBe('token_audience_mismatch');
  await h.agent.get('/auth/session').expect(401);
});

test('Naver failing to renew (HTTP 500) is token_exchange_failed, never a 500 of ours', async () => {
  h.emulator.failNext('naver', 'token', { kind: 'status', status: 500 });
  const res = await post({ refreshToken: sdkTokens().refreshToken }).expect(502);
  expect(res.body.error.code).toBe('token_exchange_failed');
  expect(JSON.stringify(res.body)).not.toContain('AAAA');
});
