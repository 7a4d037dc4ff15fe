// The account rules (allauth's), end to end through the routes, against each store: part of
// the store contract, run by core (memory, Redis) and by @socialauth/postgres.
import type { AccountStore } from '@socialauth/core';
import {
  SHARED,
  connect,
  me,
  signInAs,
  signInFromLinkPage,
  startAccountsHarness,
  type AccountsHarness,
} from '../accounts-harness';
import { csrfToken, editSession } from '../harness';
import { accountStores, type StoreBackend } from './account-stores';

/** Registers the account rules suites (`account rules (<name> store)`), one per backend. */
export function runAccountRulesContract(backends: readonly StoreBackend[]): void {
  const stores = accountStores(backends, 'rules');

  describe.each(stores)('account rules (%s store)', (_name, makeStore) => {
    let h: AccountsHarness;
    let store: AccountStore;
    const open = async (extra = {}) => {
      store = makeStore();
      h = await startAccountsHarness(store, extra);
    };
    afterEach(async () => {
      await h.close();
      await store.close?.();
    });

    test('a new identity signs up; the same identity signs its user in again', async () => {
      await open();
      expect(await signInAs(h, 'google', '200000000000000000001')).toBe('/');
      const first = await me(h.agent);
      const again = h.newAgent();
      await signInAs(h, 'google', '200000000000000000001', again);
      expect((await me(again)).user?.id).toBe(first.user?.id);
      expect(h.events).toEqual(['signup:google', 'login:google', 'login:google']);
    });

    test('signup: false closes sign-up (signup_closed); known identities still sign in', async () => {
      await open({ signup: false });
      expect(await signInAs(h, 'google', '200000000000000000001')).toBe(
        '/auth/error?error=signup_closed',
      );
      expect((await me(h.agent)).error?.code).toBe('unauthenticated');
    });

    test('isSignupAllowed can refuse a new user', async () => {
      await open({ hooks: { isSignupAllowed: (p: { email?: string }) => p.email !== SHARED } });
      expect(await signInAs(h, 'google', '200000000000000000001')).toBe(
        '/auth/error?error=signup_closed',
      );
      expect(await signInAs(h, 'google', '200000000000000000002', h.newAgent())).toBe('/');
    });

    test('a verified email from a trusted provider joins the existing user', async () => {
      await open();
      await signInAs(h, 'google', '200000000000000000001');
      const owner = (await me(h.agent)).user!.id;
      const other = h.newAgent();
      expect(await signInAs(h, 'kakao', '9007199254740993', other)).toBe('/');
      const joined = await me(other);
      expect(joined.user?.id).toBe(owner);
      expect(joined.identities?.map((i) => i.provider).sort()).toEqual(['google', 'kakao']);
      expect(h.events).toContain('link:kakao');
    });

    test('Naver (never trusted) with a matching email: a pending link, confirmed after signing in the old way', async () => {
      await open();
      await signInAs(h, 'google', '200000000000000000001', h.newAgent());
      const browser = h.newAgent();
      expect(await signInAs(h, 'naver', 'minji', browser)).toBe('/auth/link');
      expect((await me(browser)).error?.code).toBe('unauthenticated');
      const page = await browser.get('/auth/link').expect(200);
      expect(page.text).toContain('Sign in with the method you used before to connect Naver');
      expect(page.text).toContain('/auth/google?next=%2Fauth%2Flink');

      // Signing in with Google (the old way) from the link page brings the pending link along
      // through regeneration.
      expect(await signInFromLinkPage('google', '200000000000000000001', browser)).toBe(
        '/auth/link',
      );
      const confirm = await browser.get('/auth/link').expect(200);
      expect(confirm.text).toContain('Connect this Naver account to your account?');
      // CWE-204: the address is shown masked on the page too.
      expect(confirm.text).toContain('<dd>s•••@example.com</dd>');
      expect(confirm.text).not.toContain('shared@example.com');
      const res = await browser
        .post('/auth/link')
        .type('form')
        .send({ _csrf: await csrfToken(browser), action: 'confirm' })
        .expect(303);
      expect(res.headers.location).toBe('/');
      expect((await me(browser)).identities?.map((i) => i.provider).sort()).toEqual([
        'google',
        'naver',
      ]);
      // Naver now signs straight in to the same user.
      const later = h.newAgent();
      expect(await signInAs(h, 'naver', 'minji', later)).toBe('/');
      expect((await me(later)).user?.id).toBe((await me(browser)).user?.id);
    });

    test('a pending link older than ten minutes is not linked', async () => {
      await open();
      await signInAs(h, 'google', '200000000000000000001', h.newAgent());
      const browser = h.newAgent();
      expect(await signInAs(h, 'naver', 'minji', browser)).toBe('/auth/link');
      await signInFromLinkPage('google', '200000000000000000001', browser);
      editSession(h.store, (data) => {
        if (data.socialauth?.pendingLink) data.socialauth.pendingLink.createdAt -= 10 * 60 * 1000;
      });
      await browser
        .post('/auth/link')
        .type('form')
        .send({ _csrf: await csrfToken(browser), action: 'confirm' })
        .expect(303);
      expect((await me(browser)).identities?.map((i) => i.provider)).toEqual(['google']);
    });

    test('an unverified Kakao email with a match also waits for the owner', async () => {
      await open();
      await signInAs(h, 'google', '200000000000000000001', h.newAgent());
      expect(await signInAs(h, 'kakao', '9007199254740995')).toBe('/auth/link');
    });

    test('trustEmail can turn trust off for a provider', async () => {
      await open({ trustEmail: { kakao: false } });
      await signInAs(h, 'google', '200000000000000000001', h.newAgent());
      expect(await signInAs(h, 'kakao', '9007199254740993')).toBe('/auth/link');
    });

    test('connecting an identity that belongs to someone else: identity_in_use', async () => {
      await open();
      const bob = h.newAgent();
      await signInAs(h, 'kakao', '9007199254740997', bob);
      await signInAs(h, 'google', '200000000000000000002');
      const res = await connect(h, 'kakao', '9007199254740997');
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('identity_in_use');
      expect((await me(h.agent)).identities).toHaveLength(1);
      expect((await me(bob)).identities).toHaveLength(1);
    });
  });
}
