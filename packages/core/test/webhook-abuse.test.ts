// Issue 17, item 4 (SECURITY.md "Token sign-in and webhooks"): webhooks are throttled per source,
// refusals are aggregated in the log, and each notification is acted on once. Before: 1,000
// forged Kakao calls from one address gave 1,000 log lines and 1,000 `onError` calls, and a
// captured Naver notification replayed within its five minutes ended the user's new link.
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
import { call } from './instance-process';
import { startRecorder } from './recorder';

jest.setTimeout(60_000);

const GOOGLE = USERS.google[1]!.sub;
const KAKAO = USERS.kakao[2]!.id;
const NAVER = 'minji';
const { adminKey, appId } = DEFAULT_CLIENTS.kakao;

let h: AccountsHarness;
let accounts: AccountStore;
beforeEach(async () => {
  process.env.KAKAO_ADMIN_KEY = adminKey;
  process.env.KAKAO_APP_ID = appId;
  accounts = memoryAccounts();
  h = await startAccountsHarness(accounts, { rateLimit: { limit: 1000, windowMs: 60_000 } });
});
afterEach(async () => {
  delete process.env.KAKAO_ADMIN_KEY;
  delete process.env.KAKAO_APP_ID;
  await h.close();
});

const hook = (provider: string) => `${h.baseURL}/auth/${provider}/webhook`;
const providersOf = async (userId: string) =>
  (await accounts.listIdentities(userId)).map((i) => i.provider).sort();

test('1,000 forged calls from one address: 20 checked and heard, the rest 429; the provider still gets through', async () => {
  const forged = new URLSearchParams({
    app_id: appId,
    user_id: KAKAO,
    referrer_type: 'UNLINK_FROM_APPS',
  });
  const statuses: number[] = [];
  for (let i = 0; i < 1000; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: 25 }, () =>
        call(hook('kakao'), {
          method: 'POST',
          from: '127.0.0.2',
          headers: {
            Authorization: 'KakaoAK not-the-admin-key',
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: forged.toString(),
        }),
      ),
    );
    statuses.push(...batch.map((r) => r.status));
  }
  const count = (s: number) => statuses.filter((x) => x === s).length;
  console.log(`1000 forged Kakao calls: ${count(401)} x 401, ${count(429)} x 429`);
  expect(count(401)).toBe(20);
  expect(count(429)).toBe(980);
  expect(h.events.filter((e) => e === 'error:webhook_invalid:kakao')).toHaveLength(20);
  const lines = h.logs.filter((l) => l.includes('/kakao/webhook: webhook_invalid'));
  expect(lines).toHaveLength(1);

  // Kakao's servers, from their own address, are not held up by the forger...
  const viaGoogle = supertest.agent(h.baseURL);
  expect(await signInAs(h, 'google', GOOGLE, viaGoogle)).toBe('/');
  expect((await connect(h, 'kakao', KAKAO, viaGoogle)).status).toBe(302);
  const userId = (await me(viaGoogle)).user!.id;
  expect(await h.emulator.sendUnlink('kakao', { to: hook('kakao'), user: KAKAO })).toEqual({
    status: 200,
  });
  expect(await providersOf(userId)).toEqual(['google']);
  // ...and their accepted calls never count against their address.
  for (let i = 0; i < 30; i += 1) {
    const { status } = await h.emulator.sendUnlink('kakao', { to: hook('kakao'), user: KAKAO });
    expect(status).toBe(200);
  }
});

/**
 * A user signed in with Google who connected Naver, and Naver's unlink notification for them as
 * Naver sends it, captured on its way (a recorder stands in the path): `deliver()` posts it here.
 */
async function naverUserAndItsUnlink() {
  const viaGoogle = supertest.agent(h.baseURL);
  expect(await signInAs(h, 'google', GOOGLE, viaGoogle)).toBe('/');
  expect((await connect(h, 'naver', NAVER, viaGoogle)).status).toBe(302);
  const userId = (await me(viaGoogle)).user!.id;
  const recorder = await startRecorder();
  try {
    await h.emulator.sendUnlink('naver', { to: `${recorder.origin}/hook`, user: NAVER });
  } finally {
    await recorder.stop();
  }
  const captured = recorder.received[0]!;
  const deliver = () =>
    call(hook('naver'), {
      method: 'POST',
      headers: { 'Content-Type': String(captured.headers['content-type']) },
      body: captured.body,
    });
  return { viaGoogle, userId, deliver };
}

test('a captured Naver notification replayed after the user linked again changes nothing', async () => {
  const { viaGoogle, userId, deliver } = await naverUserAndItsUnlink();
  expect((await deliver()).status).toBe(204);
  expect(await providersOf(userId)).toEqual(['google']);

  // The user connects Naver again and signs in with it; then the old notification comes back.
  expect((await connect(h, 'naver', NAVER, viaGoogle)).status).toBe(302);
  const viaNaver = supertest.agent(h.baseURL);
  expect(await signInAs(h, 'naver', NAVER, viaNaver)).toBe('/');
  expect((await deliver()).status).toBe(204); // acknowledged, as a delivery would be
  expect(await providersOf(userId)).toEqual(['google', 'naver']);
  await viaNaver.get('/auth/session').expect(200);
  expect(h.events.filter((e) => e === 'unlink:naver')).toHaveLength(1);
  expect(h.logs.some((l) => l.includes('a replayed notification was ignored'))).toBe(true);
});

test('a notification whose unlink failed is acted on when the provider sends it again', async () => {
  const { userId, deliver } = await naverUserAndItsUnlink();
  // The account store fails once, at the unlink: stubbed, since no real store can be made to
  // fail at exactly that call (the outage tests stop a real Redis for whole requests).
  const unlink = accounts.unlink.bind(accounts);
  accounts.unlink = () => {
    accounts.unlink = unlink;
    return Promise.reject(new Error('store unavailable'));
  };
  expect((await deliver()).status).toBe(503);
  expect(await providersOf(userId)).toEqual(['google', 'naver']);
  // The provider's retry of the same notification is not taken for a replay.
  expect((await deliver()).status).toBe(204);
  expect(await providersOf(userId)).toEqual(['google']);
});
