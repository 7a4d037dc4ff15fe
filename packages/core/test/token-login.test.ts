// Issue 10, native-SDK token login: an app that signed the user in with Google Sign-In hands its
// ID token to POST /auth/google/token. It is verified as a browser sign-in's would be (OIDC Core
// §3.1.3.7), and it must have been issued to one of this app's client ids: a token another app
// obtained is refused (token_audience_mismatch), or anyone's app could sign in as its users here.
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import supertest from 'supertest';
import { consent, start, startHarness, type Harness } from '@socialauth/testkit';

const ANDROID = 'my-android-client-id';
const ALICE = '104834925480000000001';
let h: Harness;
beforeEach(async () => {
  h = await startHarness((emulator) => ({
    providers: [
      google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin, appClientIds: [ANDROID] }),
    ],
  }));
});
afterEach(() => h.close());

const post = (agent: supertest.Agent, body: object) =>
  agent.post('/auth/google/token').set('Accept', 'application/json').send(body);

test('an Android ID token signs in: a session cookie that /auth/session honours', async () => {
  const idToken = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID });
  const res = await post(h.agent, { idToken }).expect(200);
  expect(res.body.user).toMatchObject({ provider: 'google', emailVerified: true });
  expect(res.headers['cache-control']).toBe('no-store');
  const me = await h.agent.get('/auth/session').expect(200);
  expect(me.body.user.id).toBe(res.body.user.id);
  expect(JSON.stringify(res.body)).not.toContain(idToken);
});

test('the same person through the browser and the app is one user', async () => {
  const browser = h.newAgent();
  await browser.get(await consent(await start(browser), { user: ALICE })).expect(302);
  const web = (await browser.get('/auth/session').expect(200)).body.user.id;
  const idToken = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID });
  expect((await post(h.agent, { idToken }).expect(200)).body.user.id).toBe(web);
});

test('a token issued to another app is refused, and signs nobody in', async () => {
  const idToken = await h.emulator.appIdToken('google', { user: ALICE, clientId: 'other-app' });
  const res = await post(h.agent, { idToken }).expect(401);
  expect(res.body.error.code).toBe('token_audience_mismatch');
  await h.agent.get('/auth/session').expect(401);
});

test.each([
  ['expired', { exp: Math.floor(Date.now() / 1000) - 60 }, 'id_token_invalid'],
  ['without iat', { iat: undefined }, 'id_token_invalid'],
  ['from another issuer', { iss: 'https://accounts.example.com' }, 'id_token_invalid'],
  ['also for another app', { aud: [ANDROID, 'other-app'] }, 'token_audience_mismatch'],
  ['naming another app as azp', { azp: 'other-app' }, 'token_audience_mismatch'],
])('an ID token %s is refused', async (_name, claims, code) => {
  const idToken = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID, claims });
  const res = await post(h.agent, { idToken });
  expect(res.body.error.code).toBe(code);
  await h.agent.get('/auth/session').expect(401);
});

test('a nonce the app sent must be in the token', async () => {
  const idToken = await h.emulator.appIdToken('google', {
    user: ALICE,
    clientId: ANDROID,
    nonce: 'n-1',
  });
  expect((await post(h.agent, { idToken, nonce: 'n-2' })).body.error.code).toBe('id_token_invalid');
  await post(h.newAgent(), { idToken, nonce: 'n-1' }).expect(200);
});

test('a form post is refused: no login CSRF from another site', async () => {
  const idToken = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID });
  const res = await h.agent
    .post('/auth/google/token')
    .set('Accept', 'application/json')
    .type('form')
    .send({ idToken });
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('invalid_request');
  await h.agent.get('/auth/session').expect(401);
});

test('no token, or a provider without token sign-in: typed errors', async () => {
  expect((await post(h.agent, {}).expect(400)).body.error.code).toBe('invalid_request');
  const unknown = await h.agent
    .post('/auth/nope/token')
    .set('Accept', 'application/json')
    .send({ idToken: 'x' });
  expect(unknown.status).toBe(404);
});

// Apps without a cookie jar carry the session as a bearer token: the same server-side session as
// the cookie (one store read per request), ended by logout like any other.
test('session: "token" gives a bearer session token that works and dies at logout', async () => {
  const idToken = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID });
  const res = await post(h.agent, { idToken, session: 'token' }).expect(200);
  const bearer = `Bearer ${res.body.sessionToken as string}`;
  expect(res.body.sessionToken).toMatch(/^s:[\w-]+\.[\w+/]+$/);
  const app = () => supertest(h.baseURL); // no cookies at all
  const me = await app().get('/auth/session').set('Authorization', bearer).expect(200);
  expect(me.body.user.id).toBe(res.body.user.id);
  await app().get('/auth/session').set('Authorization', 'Bearer s:forged.x').expect(401);
  const csrf = (await app().get('/auth/csrf').set('Authorization', bearer).expect(200)).body
    .csrfToken as string;
  await app()
    .post('/auth/logout')
    .set('Authorization', bearer)
    .set('X-CSRF-Token', csrf)
    .set('Accept', 'application/json')
    .expect(204);
  await app().get('/auth/session').set('Authorization', bearer).expect(401);
});

test('without session: "token", no session token is handed out', async () => {
  const idToken = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID });
  expect((await post(h.agent, { idToken }).expect(200)).body.sessionToken).toBeUndefined();
});

// Issue 17: RFC 9110 §11.1 makes the auth scheme case-insensitive, and §11.4 allows one or more
// spaces after it; `bearer <token>` (as some HTTP clients send it) was treated as no session.
test('the session token works whatever the case of "Bearer", and after several spaces', async () => {
  const idToken = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID });
  const res = await post(h.agent, { idToken, session: 'token' }).expect(200);
  const token = res.body.sessionToken as string;
  for (const header of [
    `bearer ${token}`,
    `BEARER ${token}`,
    `BeArEr ${token}`,
    `Bearer   ${token}`,
  ]) {
    const me = await supertest(h.baseURL).get('/auth/session').set('Authorization', header);
    expect([header.split(' ')[0], me.status]).toEqual([header.split(' ')[0], 200]);
  }
  // Another scheme with the same token is still no session.
  await supertest(h.baseURL)
    .get('/auth/session')
    .set('Authorization', `Basic ${token}`)
    .expect(401);
});
