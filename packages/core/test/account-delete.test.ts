// Deleting an account (issue 20, part 4) through the emulator over real HTTP: every identity
// revoked at its provider, every session ended, the account gone from the store, the app's hook
// first, and a provider outage leaving an account the user can retry from.
import { memoryAccounts, SocialAuthError, type AccountStore } from '../src';
import {
  connect,
  consent,
  start,
  csrfToken,
  me,
  signInAs,
  startAccountsHarness,
  type AccountsHarness,
} from '@socialauth/testkit';

const GOOGLE = '200000000000000000002';
const KAKAO = '9007199254740997';

let h: AccountsHarness;
let accounts: AccountStore;
const calls: string[] = [];

async function setUp(extra: Parameters<typeof startAccountsHarness>[1] = {}) {
  accounts = memoryAccounts();
  h = await startAccountsHarness(accounts, extra);
  await signInAs(h, 'google', GOOGLE);
  await connect(h, 'kakao', KAKAO);
  const user = (await me(h.agent)).user!;
  return user.id;
}
afterEach(async () => {
  calls.length = 0;
  await h.close();
});

/** The account-deletion POST as the confirmation page's form sends it. */
async function pressDelete(agent = h.agent, accept = 'application/json') {
  const token = await csrfToken(agent);
  return agent.post('/auth/account/delete').set('X-CSRF-Token', token).set('Accept', accept);
}

async function rejection(promise: Promise<unknown>): Promise<SocialAuthError> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SocialAuthError);
  return error as SocialAuthError;
}

test('the user deletes the account: revoked at Google and Kakao, every session ended, nothing left', async () => {
  const userId = await setUp({
    hooks: {
      beforeDeleteUser: ({ identities }) => {
        // First: nothing of socialauth's has been touched yet.
        calls.push(`before:${identities.length}:${h.emulator.count('kakao', 'revoke')}`);
      },
      onUserDeleted: ({ identities }) => {
        calls.push(`deleted:${identities.map((i) => `${i.provider}=${i.revoke}`).join(',')}`);
      },
    },
  });
  const phone = h.newAgent();
  await signInAs(h, 'kakao', KAKAO, phone);
  expect((await me(phone)).user?.id).toBe(userId);

  const res = await pressDelete();
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    deleted: true,
    identities: [
      { provider: 'google', revoke: 'revoked' },
      { provider: 'kakao', revoke: 'revoked' },
    ],
    sessionsEnded: 2,
  });
  expect(String(res.headers['set-cookie'])).toMatch(/socialauth\.sid=;/);
  expect(calls).toEqual(['before:2:0', 'deleted:google=revoked,kakao=revoked']);
  expect(h.emulator.count('google', 'revoke')).toBe(1);
  expect(h.emulator.count('kakao', 'revoke')).toBe(1);

  // Both devices are signed out, and the store has nothing of the account.
  expect((await me(h.agent)).error?.code).toBe('unauthenticated');
  expect((await me(phone)).error?.code).toBe('unauthenticated');
  expect(await accounts.getUser(userId)).toBeUndefined();
  expect(await accounts.findIdentity('google', GOOGLE)).toBeUndefined();
  expect(await accounts.findIdentity('kakao', KAKAO)).toBeUndefined();
  expect(await h.auth.admin.get(userId)).toBeUndefined();

  // Signing in again is a new account.
  await signInAs(h, 'google', GOOGLE);
  const again = (await me(h.agent)).user!;
  expect(again.id).not.toBe(userId);
});

test('a provider that cannot be reached stops the deletion; the retry finishes it', async () => {
  const userId = await setUp();
  h.emulator.failNext('kakao', 'revoke', { kind: 'status', status: 503, body: 'unavailable' });
  const failed = await pressDelete();
  expect(failed.status).toBe(502);
  expect(failed.body.error).toMatchObject({
    code: 'deletion_failed',
    reason: 'provider_unreachable',
  });
  // Nothing lost: the user is still signed in, with both identities, and can sign in again.
  expect((await me(h.agent)).identities?.map((i) => i.provider)).toEqual(['google', 'kakao']);
  expect((await accounts.getUser(userId))?.disabledAt).toBeUndefined();
  // Google's grant did end: its tokens are gone, so the retry does not revoke it twice.
  expect((await accounts.findIdentity('google', GOOGLE))?.needsReauth).toBe(true);
  expect(h.events).toContain('error:revoke_failed:kakao');

  const retried = await pressDelete();
  expect(retried.status).toBe(200);
  expect(retried.body.identities).toEqual([
    { provider: 'google', revoke: 'nothing_to_revoke' },
    { provider: 'kakao', revoke: 'revoked' },
  ]);
  expect(h.emulator.count('google', 'revoke')).toBe(1);
  expect(h.emulator.count('kakao', 'revoke')).toBe(2);
  expect(await accounts.getUser(userId)).toBeUndefined();
});

test('a redirect is a refusal; no answer at all stops the deletion; force deletes anyway', async () => {
  const userId = await setUp();
  h.emulator.failNext('kakao', 'revoke', {
    kind: 'redirect',
    status: 307,
    location: 'http://127.0.0.1:9/unlink',
  });
  // A redirect is an answer: the provider refused, final, so the deletion goes on.
  const refused = await h.auth.deleteUser(userId);
  expect(refused.identities.map((i) => i.revoke)).toEqual(['revoked', 'refused']);
  expect(await accounts.getUser(userId)).toBeUndefined();

  const second = await signInAs(h, 'kakao', KAKAO, h.newAgent());
  expect(second).toBeDefined();
  const other = (await h.auth.admin.list({ provider: 'kakao', subject: KAKAO })).users[0]!;
  await h.emulator.stop(); // nobody answers any more
  const stopped = await rejection(h.auth.deleteUser(other.id));
  expect([stopped.code, stopped.reason]).toEqual(['deletion_failed', 'provider_unreachable']);
  expect(await accounts.getUser(other.id)).toBeDefined();
  const forced = await h.auth.deleteUser(other.id, { force: true });
  expect(forced.identities).toEqual([{ provider: 'kakao', subject: KAKAO, revoke: 'unreachable' }]);
  expect(await accounts.getUser(other.id)).toBeUndefined();
});

test('a provider that refuses the revoke (a token it no longer knows) does not block deletion', async () => {
  const userId = await setUp();
  h.emulator.failNext('kakao', 'revoke', {
    kind: 'status',
    status: 401,
    body: '{"msg":"this access token does not exist","code":-401}',
  });
  const res = await pressDelete();
  expect(res.status).toBe(200);
  expect(res.body.identities).toEqual([
    { provider: 'google', revoke: 'revoked' },
    { provider: 'kakao', revoke: 'refused' },
  ]);
  expect(h.events).toContain('error:revoke_failed:kakao');
  expect(await accounts.getUser(userId)).toBeUndefined();
});

test('the app vetoes, or its hook fails: nothing changes', async () => {
  let veto = true;
  const userId = await setUp({
    hooks: {
      beforeDeleteUser: () => {
        if (veto) return false;
        throw new Error('the orders table is locked');
      },
    },
  });
  const vetoed = await pressDelete();
  expect([vetoed.status, vetoed.body.error.code]).toEqual([409, 'deletion_refused']);
  veto = false;
  const failed = await pressDelete();
  expect([failed.status, failed.body.error.code]).toEqual([502, 'deletion_failed']);
  expect(JSON.stringify(failed.body)).not.toContain('orders table');
  await expect(h.auth.deleteUser(userId)).rejects.toThrow('the orders table is locked');
  expect(h.emulator.count('google', 'revoke') + h.emulator.count('kakao', 'revoke')).toBe(0);
  expect((await me(h.agent)).identities).toHaveLength(2);
  expect((await accounts.getUser(userId))?.disabledAt).toBeUndefined();
});

test('two deletions at once: one deletes, the other is told, nothing half-written', async () => {
  const userId = await setUp();
  const results = await Promise.allSettled([h.auth.deleteUser(userId), h.auth.deleteUser(userId)]);
  const done = results.filter((r) => r.status === 'fulfilled');
  const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  expect(done).toHaveLength(1);
  expect(refused.map((e: SocialAuthError) => e.code)).toEqual([
    expect.stringMatching(/^(deletion_in_progress|user_not_found)$/),
  ]);
  expect(h.emulator.count('kakao', 'revoke')).toBe(1);
  expect(await accounts.getUser(userId)).toBeUndefined();
  expect((await rejection(h.auth.deleteUser(userId))).code).toBe('user_not_found');
});

test('a sign-in that finishes during or after the deletion never revives the account', async () => {
  const userId = await setUp();
  // A second device is at Google's consent page when the account is deleted.
  const late = h.newAgent();
  const back = await consent(await start(late, 'google'), { user: GOOGLE });
  await h.auth.deleteUser(userId);
  await late.get(back).set('Accept', 'text/html');
  const after = await me(late);
  // Signed in, it is as a new user (the identity was gone); never the deleted one.
  expect(after.user?.id).not.toBe(userId);
  expect(await accounts.getUser(userId)).toBeUndefined();
});

test('CSRF, signed-out and bad input', async () => {
  const userId = await setUp();
  const noToken = await h.agent.post('/auth/account/delete').set('Accept', 'application/json');
  expect([noToken.status, noToken.body.error.code]).toEqual([403, 'csrf_failed']);
  const anonymous = await h
    .newAgent()
    .post('/auth/account/delete')
    .set('Accept', 'application/json');
  expect(anonymous.status).toBe(401);
  const page = await h.newAgent().get('/auth/account/delete').set('Accept', 'application/json');
  expect(page.status).toBe(401);
  expect((await rejection(h.auth.deleteUser(''))).code).toBe('invalid_request');
  expect((await rejection(h.auth.deleteUser('nobody'))).code).toBe('user_not_found');
  expect(await accounts.getUser(userId)).toBeDefined();
});

test('the confirmation page, in Korean and in English, and the page after', async () => {
  await setUp();
  const ko = await h.agent.get('/auth/account/delete').set('Accept-Language', 'ko-KR,ko;q=0.9');
  expect(ko.status).toBe(200);
  expect(ko.headers['cache-control']).toBe('no-store');
  expect(ko.text).toContain('<h1>회원 탈퇴</h1>');
  expect(ko.text).toMatch(
    /<li>Google · o•••@example\.com<\/li><li>Kakao · a•••@example\.com<\/li>/,
  );
  expect(ko.text).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
  expect(ko.text).toContain('>탈퇴하기</button>');
  const en = await h.agent.get('/auth/account/delete').set('Accept-Language', 'en');
  expect(en.text).toContain('<h1>Delete your account</h1>');
  expect(en.text).toContain('>Delete my account</button>');

  // The form's own POST, as a browser sends it.
  const token = /name="_csrf" value="([^"]+)"/.exec(ko.text)![1]!;
  const done = await h.agent
    .post('/auth/account/delete')
    .set('Accept-Language', 'ko')
    .set('Origin', h.baseURL)
    .type('form')
    .send({ _csrf: token });
  expect(done.status).toBe(200);
  expect(done.text).toContain('<h1>탈퇴가 완료됐어요</h1>');
});

test('an admin disables a user: sessions end, sign-in is account_disabled until enabled', async () => {
  const userId = await setUp();
  expect(await h.auth.admin.disable(userId)).toBe(1);
  expect((await me(h.agent)).error?.code).toBe('unauthenticated');
  const back = await consent(await start(h.agent, 'kakao'), { user: KAKAO });
  const refused = await h.agent.get(back).set('Accept', 'application/json');
  expect([refused.status, refused.body.error.code]).toEqual([403, 'account_disabled']);
  expect((await h.auth.admin.get(userId))?.user.disabledAt).toEqual(expect.any(String));
  expect((await h.auth.admin.list()).users.map((u) => u.id)).toContain(userId);
  await h.auth.admin.enable(userId);
  await signInAs(h, 'kakao', KAKAO);
  expect((await me(h.agent)).user?.id).toBe(userId);
  expect((await rejection(h.auth.admin.disable('nobody'))).code).toBe('user_not_found');
});
