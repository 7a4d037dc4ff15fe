// Issue 10 part 4: unlink webhooks. A user who unlinks the app at Kakao (or Naver) is unlinked
// here too: the provider's server calls `POST /auth/<provider>/webhook`, the plugin proves the call
// is the provider's (Kakao: the admin key; Naver: an HMAC keyed with the client secret), and the
// identity goes, with the sessions that signed in through it. The emulator sends the providers'
// real notifications over real HTTP.
import supertest from 'supertest';
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { memoryAccounts, type AccountStore } from '../src';
import {
  USERS,
  connect,
  me,
  signInAs,
  startAccountsHarness,
  type AccountsHarness,
} from '@socialauth/testkit';

const GOOGLE = USERS.google[1]!.sub; // no email shared with the Kakao users below
const KAKAO = USERS.kakao[2]!.id; // 'Kakao Alone'
const NAVER = 'minji';
const { adminKey, appId } = DEFAULT_CLIENTS.kakao;

let h: AccountsHarness;
let accounts: AccountStore;
beforeEach(async () => {
  // The documented environment variables: kakao() reads them when it is built.
  process.env.KAKAO_ADMIN_KEY = adminKey;
  process.env.KAKAO_APP_ID = appId;
  accounts = memoryAccounts();
  h = await startAccountsHarness(accounts);
});
afterEach(async () => {
  delete process.env.KAKAO_ADMIN_KEY;
  delete process.env.KAKAO_APP_ID;
  await h.close();
});

const hook = (provider: string) => `${h.baseURL}/auth/${provider}/webhook`;

/** A browser signed in with Google that connected Kakao and Naver, a second signed in with Kakao. */
async function linkedUser() {
  const viaGoogle = supertest.agent(h.baseURL);
  expect(await signInAs(h, 'google', GOOGLE, viaGoogle)).toBe('/');
  expect((await connect(h, 'kakao', KAKAO, viaGoogle)).status).toBe(302);
  const viaKakao = supertest.agent(h.baseURL);
  expect(await signInAs(h, 'kakao', KAKAO, viaKakao)).toBe('/');
  const userId = (await me(viaGoogle)).user!.id;
  expect((await me(viaKakao)).user?.id).toBe(userId);
  return { viaGoogle, viaKakao, userId };
}

const providersOf = async (userId: string) =>
  (await accounts.listIdentities(userId)).map((i) => i.provider).sort();

test('a forged Kakao call (no key, a wrong key, another scheme, another app) is 401 and changes nothing', async () => {
  const { viaGoogle, viaKakao, userId } = await linkedUser();
  const form = { app_id: appId, user_id: KAKAO, referrer_type: 'UNLINK_FROM_APPS' };
  const forged = [
    { headers: {}, body: form },
    { headers: { Authorization: 'KakaoAK not-the-admin-key' }, body: form },
    { headers: { Authorization: `KakaoAK ${adminKey}x` }, body: form },
    { headers: { Authorization: `Bearer ${adminKey}` }, body: form },
    { headers: { Authorization: `KakaoAK ${DEFAULT_CLIENTS.kakao.clientId}` }, body: form },
    { headers: { Authorization: `KakaoAK ${adminKey}` }, body: { ...form, app_id: '999' } },
  ];
  for (const call of forged) {
    const res = await supertest(h.baseURL)
      .post('/auth/kakao/webhook')
      .set(call.headers)
      .type('form')
      .send(call.body);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('webhook_invalid');
  }
  expect(await providersOf(userId)).toEqual(['google', 'kakao']);
  await viaKakao.get('/auth/session').expect(200);
  await viaGoogle.get('/auth/session').expect(200);
  expect(h.events.filter((e) => e.startsWith('unlink'))).toEqual([]);
  // The admin key never reaches the log.
  expect(h.logs.join('\n')).not.toContain(adminKey);
  expect(h.logs.some((l) => l.includes('/kakao/webhook: webhook_invalid'))).toBe(true);
  // Each refused call reaches onError, for the app's monitoring.
  const refused = h.events.filter((e) => e === 'error:webhook_invalid:kakao');
  expect(refused).toHaveLength(forged.length);
});

test('Kakao’s unlink removes the identity, ends the sessions that signed in with it, calls onUnlink', async () => {
  const { viaGoogle, viaKakao, userId } = await linkedUser();
  const bystander = supertest.agent(h.baseURL);
  expect(await signInAs(h, 'google', USERS.google[0]!.sub, bystander)).toBe('/');

  // Real HTTP, Kakao's wire format: a form POST with `Authorization: KakaoAK <admin key>`, and no
  // CSRF token (no browser is involved). Kakao counts only 200 as delivered.
  expect(await h.emulator.sendUnlink('kakao', { to: hook('kakao'), user: KAKAO })).toEqual({
    status: 200,
  });

  expect(await providersOf(userId)).toEqual(['google']);
  expect(await accounts.findIdentity('kakao', KAKAO)).toBeUndefined();
  await viaKakao.get('/auth/session').expect(401);
  const still = await viaGoogle.get('/auth/session').expect(200);
  expect(still.body.identities.map((i: { provider: string }) => i.provider)).toEqual(['google']);
  await bystander.get('/auth/session').expect(200);
  expect(h.events.filter((e) => e.startsWith('unlink'))).toEqual(['unlink:kakao']);
});

test('Kakao’s unlink of a user’s only identity keeps it but marks it for a new sign-in', async () => {
  const browser = supertest.agent(h.baseURL);
  expect(await signInAs(h, 'kakao', KAKAO, browser)).toBe('/');
  const userId = (await me(browser)).user!.id;
  expect((await accounts.findIdentity('kakao', KAKAO))?.tokens).toBeDefined();

  expect((await h.emulator.sendUnlink('kakao', { to: hook('kakao'), user: KAKAO })).status).toBe(
    200,
  );

  const kept = await accounts.findIdentity('kakao', KAKAO);
  expect(kept).toMatchObject({ userId, needsReauth: true });
  expect(kept?.tokens).toBeUndefined();
  await browser.get('/auth/session').expect(401);
  expect(h.events.filter((e) => e.startsWith('unlink'))).toEqual(['unlink:kakao']);

  // Signing in with Kakao again (a new consent there) brings back the same user, healed.
  const again = supertest.agent(h.baseURL);
  expect(await signInAs(h, 'kakao', KAKAO, again)).toBe('/');
  expect((await me(again)).user?.id).toBe(userId);
  expect((await accounts.findIdentity('kakao', KAKAO))?.needsReauth).toBe(false);
});

test('an unlink for a subject nobody signed in with is acknowledged and changes nothing', async () => {
  const { userId } = await linkedUser();
  const res = await supertest(h.baseURL)
    .post('/auth/kakao/webhook')
    .set('Authorization', `KakaoAK ${adminKey}`)
    .type('form')
    .send({ app_id: appId, user_id: '123456789', referrer_type: 'ACCOUNT_DELETE' });
  expect(res.status).toBe(200);
  expect(await providersOf(userId)).toEqual(['google', 'kakao']);
  expect(h.events.filter((e) => e.startsWith('unlink'))).toEqual([]);
});

test('Naver’s signed unlink notification removes the identity and is answered 204', async () => {
  const viaGoogle = supertest.agent(h.baseURL);
  expect(await signInAs(h, 'google', GOOGLE, viaGoogle)).toBe('/');
  expect((await connect(h, 'naver', NAVER, viaGoogle)).status).toBe(302);
  const userId = (await me(viaGoogle)).user!.id;
  const viaNaver = supertest.agent(h.baseURL);
  expect(await signInAs(h, 'naver', NAVER, viaNaver)).toBe('/');
  expect(await providersOf(userId)).toEqual(['google', 'naver']);

  // A notification whose signature does not match is refused.
  const forged = await supertest(h.baseURL)
    .post('/auth/naver/webhook')
    .type('form')
    .send({
      clientId: DEFAULT_CLIENTS.naver.clientId,
      encryptUniqueId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      timestamp: String(Math.floor(Date.now() / 1000)),
      signature: 'forged',
    });
  expect(forged.status).toBe(401);
  await viaNaver.get('/auth/session').expect(200);

  expect(await h.emulator.sendUnlink('naver', { to: hook('naver'), user: NAVER })).toEqual({
    status: 204,
  });
  expect(await providersOf(userId)).toEqual(['google']);
  await viaNaver.get('/auth/session').expect(401);
  await viaGoogle.get('/auth/session').expect(200);
  expect(h.events.filter((e) => e.startsWith('unlink'))).toEqual(['unlink:naver']);
});

test('a provider without webhooks, or none at all, is 404; a bad body is 400 JSON', async () => {
  const google = await supertest(h.baseURL).post('/auth/google/webhook').type('form').send({});
  expect(google.status).toBe(404);
  expect(google.body.error.code).toBe('unknown_provider');
  await supertest(h.baseURL).post('/auth/nobody/webhook').type('form').send({}).expect(404);
  const big = await supertest(h.baseURL)
    .post('/auth/kakao/webhook')
    .set('Authorization', `KakaoAK ${adminKey}`)
    .type('form')
    .send({ user_id: '1'.repeat(10_000) });
  expect(big.status).toBe(400);
  expect(big.body.error.code).toBe('invalid_request');
  const broken = await supertest(h.baseURL)
    .post('/auth/kakao/webhook')
    .set('Content-Type', 'application/json')
    .send('{"user_id":');
  expect(broken.status).toBe(400);
});

// Kakao Login > Webhook (developers.kakao.com, checked 2026-12-02): the unlink webhook is sent as
// a GET or a POST, as registered; the same fields arrive in the query string then.
test('Kakao’s unlink sent as a GET, its fields in the query, removes the identity too', async () => {
  const { viaKakao, userId } = await linkedUser();
  const res = await supertest(h.baseURL)
    .get('/auth/kakao/webhook')
    .query({ app_id: appId, user_id: KAKAO, referrer_type: 'UNLINK_FROM_APPS' })
    .set('Authorization', `KakaoAK ${adminKey}`);
  expect(res.status).toBe(200);
  expect(await providersOf(userId)).toEqual(['google']);
  await viaKakao.get('/auth/session').expect(401);
  // Without the admin key, a GET is refused like a POST.
  const forged = await supertest(h.baseURL)
    .get('/auth/kakao/webhook')
    .query({ app_id: appId, user_id: KAKAO, referrer_type: 'UNLINK_FROM_APPS' });
  expect(forged.status).toBe(401);
});
