// The account store contract for deletion, disabling and the admin listing: every store removes
// a whole account atomically, and pages through users the same way (memory, Redis, PostgreSQL).
import { SocialAuthError, type AccountStore, type StoredUser } from '@socialauth/core';
import { accountStores, type StoreBackend } from './account-stores';
import { googleIdentity as google, kakaoIdentity as kakao } from './identities';

/** Every page of a listing, following `next` until it is absent. */
async function allPages(
  store: AccountStore,
  query: Parameters<NonNullable<AccountStore['listUsers']>>[0],
): Promise<{ users: StoredUser[]; pages: number }> {
  const users: StoredUser[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.listUsers!({ ...query, ...(cursor !== undefined && { cursor }) });
    users.push(...page.users);
    cursor = page.next;
    pages += 1;
    if (pages > 1000) throw new Error('the listing never ended');
  } while (cursor !== undefined);
  return { users, pages };
}

/**
 * Registers `<name> account store: delete, disable, list` suites against each backend.
 *
 * @example
 * ```ts
 * runAdminContract([memoryBackend(), redisBackend()]);
 * ```
 */
export function runAdminContract(backends: readonly StoreBackend[]): void {
  describe.each(accountStores(backends))(
    '%s account store: delete, disable, list',
    (_name, makeStore) => {
      let store: AccountStore;
      beforeEach(() => {
        store = makeStore();
      });
      afterEach(() => store.close?.());

      test('deleteUser removes the user, every identity and the email index', async () => {
        const { user } = await store.createUser(
          { name: 'Ada', email: 'ada@example.com' },
          google('g-1', { email: 'ada@example.com', tokens: 'sealed', profile: '{"a":1}' }),
        );
        await store.link(user.id, kakao('k-1'));
        const other = (await store.createUser({ name: 'Bo' }, google('g-2'))).user;

        const removed = await store.deleteUser!(user.id);
        expect(removed?.user).toEqual(user);
        expect(removed?.identities.map((i) => [i.provider, i.subject])).toEqual([
          ['google', 'g-1'],
          ['kakao', 'k-1'],
        ]);
        expect(removed?.identities[0]).toMatchObject({ tokens: 'sealed', profile: '{"a":1}' });
        expect(await store.getUser(user.id)).toBeUndefined();
        expect(await store.findIdentity('google', 'g-1')).toBeUndefined();
        expect(await store.findIdentity('kakao', 'k-1')).toBeUndefined();
        expect(await store.listIdentities(user.id)).toEqual([]);
        expect(await store.findUserByVerifiedEmail('ada@example.com')).toBeUndefined();
        expect((await allPages(store, {})).users.map((u) => u.id)).toEqual([other.id]);
        expect((await allPages(store, { provider: 'kakao' })).users).toEqual([]);
        expect(await store.getUser(other.id)).toEqual(other);

        // Gone is gone: a second delete finds nothing, and the identity can start a new user.
        expect(await store.deleteUser!(user.id)).toBeUndefined();
        const again = await store.createUser({}, google('g-1'));
        expect(again.created).toBe(true);
        expect(again.user.id).not.toBe(user.id);
        // The freed address can be claimed again.
        await store.updateUser(again.user.id, { email: 'ada@example.com' });
        expect((await store.findUserByVerifiedEmail('ada@example.com'))?.id).toBe(again.user.id);
      });

      test('two deletions at once: one removes the account, the other finds nothing', async () => {
        const { user } = await store.createUser({}, google('g-1'));
        await store.link(user.id, kakao('k-1'));
        const results = await Promise.all([store.deleteUser!(user.id), store.deleteUser!(user.id)]);
        expect(results.filter((r) => r !== undefined)).toHaveLength(1);
        expect(results.find((r) => r)?.identities).toHaveLength(2);
        expect(await store.findIdentity('kakao', 'k-1')).toBeUndefined();
      });

      test('a link to a user being deleted leaves no orphan identity', async () => {
        const { user } = await store.createUser({}, google('g-1'));
        // Whichever comes first, the identity does not outlive its user: linked first, it goes
        // with the user; deleted first, the link is refused.
        await Promise.allSettled([store.deleteUser!(user.id), store.link(user.id, kakao('k-1'))]);
        expect(await store.findIdentity('kakao', 'k-1')).toBeUndefined();
        expect(await store.getUser(user.id)).toBeUndefined();
      });

      test('setDisabled marks and clears disabledAt, keeping the first mark', async () => {
        const { user } = await store.createUser({ name: 'Ada' }, google('g-1'));
        expect(await store.setDisabled!(user.id, true)).toBe(true);
        const disabled = await store.getUser(user.id);
        expect(disabled?.disabledAt).toMatch(/^\d{4}-\d\d-\d\dT/);
        await new Promise((r) => setTimeout(r, 5));
        await store.setDisabled!(user.id, true);
        expect((await store.getUser(user.id))?.disabledAt).toBe(disabled?.disabledAt);
        // A sign-in's profile update leaves the mark alone.
        await store.updateUser(user.id, { name: 'Ada L.' });
        expect((await store.getUser(user.id))?.disabledAt).toBe(disabled?.disabledAt);
        expect((await allPages(store, {})).users[0]?.disabledAt).toBe(disabled?.disabledAt);

        expect(await store.setDisabled!(user.id, false)).toBe(true);
        const enabled = await store.getUser(user.id);
        expect(enabled && 'disabledAt' in enabled).toBe(false);
        expect(await store.setDisabled!('nobody', true)).toBe(false);
        expect(await store.getUser('nobody')).toBeUndefined();
      });

      test('lists every user newest first, page by page, without repeats', async () => {
        const made: StoredUser[] = [];
        for (let i = 0; i < 23; i += 1) {
          made.push((await store.createUser({ name: `u${i}` }, google(`g-${i}`))).user);
        }
        const { users, pages } = await allPages(store, { limit: 5 });
        expect(pages).toBe(5);
        expect(users.map((u) => u.id).sort()).toEqual(made.map((u) => u.id).sort());
        for (let i = 1; i < users.length; i += 1) {
          expect(users[i - 1]!.createdAt >= users[i]!.createdAt).toBe(true);
        }
        const first = await store.listUsers!({ limit: 5 });
        expect(first.users).toHaveLength(5);
        expect(first.next).toEqual(expect.any(String));
        const exact = await store.listUsers!({ limit: 23 });
        expect(exact.users).toHaveLength(23);
        expect(exact.next).toBeUndefined();
        expect((await store.listUsers!({})).users).toHaveLength(20); // the default page
      });

      test('a user created during paging is never served twice', async () => {
        for (let i = 0; i < 6; i += 1) await store.createUser({}, google(`g-${i}`));
        const first = await store.listUsers!({ limit: 3 });
        const newcomer = await store.createUser({}, google('g-new'));
        const rest = await allPages(store, { limit: 3, cursor: first.next! });
        const ids = [...first.users, ...rest.users].map((u) => u.id);
        expect(new Set(ids).size).toBe(ids.length);
        // Every user of before is served once; the new one (newer than the cursor, unless it
        // shares the cursor's millisecond and sorts below it) at most once.
        const before = (await allPages(store, {})).users.filter((u) => u.id !== newcomer.user.id);
        expect(before.every((u) => ids.includes(u.id))).toBe(true);
      });

      test('finds by email (case-insensitive), by provider, and by provider and subject', async () => {
        const ada = (await store.createUser({ email: 'Ada@Example.com' }, google('g-1'))).user;
        const bo = (await store.createUser({}, kakao('k-2'))).user;
        await store.link(ada.id, kakao('k-1'));
        const cy = (await store.createUser({}, kakao('k-3'))).user;

        expect((await store.listUsers!({ email: 'ada@example.COM' })).users).toEqual([ada]);
        expect((await store.listUsers!({ email: 'nobody@example.com' })).users).toEqual([]);
        const kakaoUsers = await allPages(store, { provider: 'kakao', limit: 2 });
        expect(kakaoUsers.users.map((u) => u.id)).toEqual([ada.id, bo.id, cy.id]); // k-1, k-2, k-3
        expect(kakaoUsers.pages).toBe(2);
        expect((await store.listUsers!({ provider: 'kakao', subject: 'k-2' })).users).toEqual([bo]);
        expect((await store.listUsers!({ provider: 'kakao', subject: 'k-9' })).users).toEqual([]);
        expect((await store.listUsers!({ provider: 'naver' })).users).toEqual([]);
        // An unlinked identity leaves its provider's listing.
        await store.unlink(ada.id, 'kakao', 'k-1');
        expect((await allPages(store, { provider: 'kakao' })).users.map((u) => u.id)).toEqual([
          bo.id,
          cy.id,
        ]);
      });

      test('refuses a bad query with invalid_request', async () => {
        await store.createUser({}, google('g-1'));
        const bad = [
          { limit: 0 },
          { limit: 101 },
          { limit: 2.5 },
          { cursor: 'not-a-cursor' },
          { cursor: '' },
          { subject: 'g-1' },
          { email: 'a@b.c', provider: 'google' },
        ];
        for (const query of bad) {
          const error: unknown = await store.listUsers!(query).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(SocialAuthError);
          expect(error).toMatchObject({ code: 'invalid_request' });
        }
        // A cursor of one listing is refused by another.
        for (let i = 2; i < 5; i += 1) await store.createUser({}, google(`g-${i}`));
        const { next } = await store.listUsers!({ limit: 1 });
        const error: unknown = await store.listUsers!({ provider: 'google', cursor: next! }).catch(
          (e: unknown) => e,
        );
        expect(error).toMatchObject({ code: 'invalid_request' });
      });

      test('the scope ledger: created with the grant, merged, withdrawn, sorted', async () => {
        const { user } = await store.createUser(
          { name: 'Ada' },
          google('g-s', { scopes: ['openid', 'email', 'openid'] }),
        );
        expect((await store.findIdentity('google', 'g-s'))?.scopes).toEqual(['email', 'openid']);
        // A narrower later grant adds nothing and removes nothing.
        expect(await store.updateScopes!('google', 'g-s', { grant: ['openid'] })).toEqual([
          'email',
          'openid',
        ]);
        const more = ['https://www.googleapis.com/auth/calendar.readonly', 'Zeta'];
        expect(await store.updateScopes!('google', 'g-s', { grant: more })).toEqual([
          'Zeta',
          'email',
          'https://www.googleapis.com/auth/calendar.readonly',
          'openid',
        ]);
        const left = await store.updateScopes!('google', 'g-s', { revoke: ['Zeta', 'email'] });
        expect(left).toEqual(['https://www.googleapis.com/auth/calendar.readonly', 'openid']);
        // Values RFC 6749 §3.3 does not allow never reach the store.
        await store.updateScopes!('google', 'g-s', { grant: ['a b', '', 'x"y'] });
        expect((await store.findIdentity('google', 'g-s'))?.scopes).toEqual(left);
        expect((await store.listIdentities(user.id))[0]?.scopes).toEqual(left);
        // Everything withdrawn: no scopes at all, as for an identity that never had any.
        await store.updateScopes!('google', 'g-s', { revoke: left });
        expect((await store.findIdentity('google', 'g-s'))?.scopes).toBeUndefined();
        expect(
          await store.updateScopes!('google', 'nobody', { grant: ['openid'] }),
        ).toBeUndefined();
        expect(await store.findIdentity('google', 'nobody')).toBeUndefined();
      });

      test('twenty grants at once all land, and the ledger leaves with the identity', async () => {
        const { user } = await store.createUser({ name: 'Bo' }, google('g-c'));
        await store.link(user.id, kakao('k-c'));
        const scopes = Array.from({ length: 20 }, (_, i) => `s${String(i).padStart(2, '0')}`);
        await Promise.all(scopes.map((s) => store.updateScopes!('google', 'g-c', { grant: [s] })));
        expect((await store.findIdentity('google', 'g-c'))?.scopes).toEqual(scopes);
        await store.unlink(user.id, 'google', 'g-c');
        await store.link(user.id, google('g-c'));
        expect((await store.findIdentity('google', 'g-c'))?.scopes).toBeUndefined();
      });
    },
  );
}
