// The account store contract: one table of behaviours every AccountStore must show, so the
// stores are interchangeable. Core runs it against memory and Redis, @socialauth/postgres
// against PostgreSQL (each with its own backends, ./account-stores.ts).
import { SocialAuthError, type AccountStore } from '@socialauth/core';
import type { NewUser } from '@socialauth/core/provider';
import { accountStores, type StoreBackend } from './account-stores';
import { googleIdentity as google, kakaoIdentity as kakao } from './identities';

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SocialAuthError);
  expect(error).toMatchObject({ code });
}

/**
 * Registers the store contract against each backend: `<name> account store` suites, with the
 * backends' servers started by hooks of the calling file and each store emptied before a test.
 */
export function runStoreContract(backends: readonly StoreBackend[]): void {
  describe.each(accountStores(backends))('%s account store', (_name, makeStore) => {
    let store: AccountStore;
    beforeEach(() => {
      store = makeStore();
    });
    afterEach(() => store.close?.());

    /** A user with one Google identity and nothing else. */
    const newUser = async (subject = 'g-1', user: NewUser = {}) =>
      (await store.createUser(user, google(subject))).user;

    test('creates a user with its identity, and finds both', async () => {
      const result = await store.createUser(
        { name: 'Ada', email: 'Ada@Example.com', avatarUrl: 'https://img.example/ada.png' },
        google('g-1', { email: 'Ada@Example.com', tokens: 'sealed', needsReauth: false }),
      );
      expect(result.created).toBe(true);
      expect(result.user).toEqual({
        id: expect.any(String),
        name: 'Ada',
        email: 'Ada@Example.com',
        avatarUrl: 'https://img.example/ada.png',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(result.identity).toEqual({
        userId: result.user.id,
        provider: 'google',
        subject: 'g-1',
        email: 'Ada@Example.com',
        emailVerified: true,
        linkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        tokens: 'sealed',
        needsReauth: false,
      });
      expect(await store.findIdentity('google', 'g-1')).toEqual(result.identity);
      expect(await store.getUser(result.user.id)).toEqual(result.user);
      expect(await store.listIdentities(result.user.id)).toEqual([result.identity]);
      expect(await store.findIdentity('google', 'g-2')).toBeUndefined();
      expect(await store.findIdentity('kakao', 'g-1')).toBeUndefined();
      expect(await store.getUser('nobody')).toBeUndefined();
      expect(await store.listIdentities('nobody')).toEqual([]);
    });

    test('optional fields stay absent and booleans stay booleans', async () => {
      const { user, identity } = await store.createUser({}, kakao('k-1'));
      expect(Object.keys(user).sort()).toEqual(['createdAt', 'id']);
      expect(Object.keys(identity).sort()).toEqual(
        ['emailVerified', 'linkedAt', 'provider', 'subject', 'userId'].sort(),
      );
      const found = await store.findIdentity('kakao', 'k-1');
      expect(found?.emailVerified).toBe(false);
      expect(found && 'needsReauth' in found).toBe(false);
      expect(await store.getUser(user.id)).toEqual(user);
    });

    test('an existing identity gets its owner back with created: false', async () => {
      const first = await store.createUser({ name: 'First' }, google('g-1'));
      const second = await store.createUser(
        { name: 'Second', email: 'x@example.com' },
        google('g-1'),
      );
      expect(second).toEqual({ user: first.user, identity: first.identity, created: false });
      expect(await store.findUserByVerifiedEmail('x@example.com')).toBeUndefined();
    });

    test('concurrent first sign-ins of one identity make one user', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.createUser({ name: `n${i}` }, google('g-1'))),
      );
      expect(new Set(results.map((r) => r.user.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    });

    test('finds a user by verified email, case-insensitively', async () => {
      const user = await newUser('g-1', { email: 'Ada.Lovelace@Example.COM' });
      expect(await store.findUserByVerifiedEmail('ada.lovelace@example.com')).toEqual(user);
      expect(await store.findUserByVerifiedEmail('ADA.LOVELACE@EXAMPLE.COM')).toEqual(user);
      expect(await store.findUserByVerifiedEmail('ada@example.com')).toBeUndefined();
    });

    test('indexes only the email given as the user’s (the verified one)', async () => {
      await store.createUser({}, google('g-1', { email: 'bob@example.com', emailVerified: false }));
      expect(await store.findUserByVerifiedEmail('bob@example.com')).toBeUndefined();
      expect((await store.findIdentity('google', 'g-1'))?.email).toBe('bob@example.com');
    });

    test('a verified email stays with the first user that claimed it', async () => {
      const first = await newUser('g-1', { email: 'same@example.com' });
      await newUser('g-2', { email: 'SAME@example.com' });
      expect(await store.findUserByVerifiedEmail('same@example.com')).toEqual(first);
    });

    test('linking an identity the user already has returns it unchanged', async () => {
      const user = await newUser();
      const linked = await store.link(user.id, kakao('k-1'));
      expect(linked).toMatchObject({ userId: user.id, provider: 'kakao', subject: 'k-1' });
      const again = await store.link(user.id, { ...kakao('k-1'), email: 'new@example.com' });
      expect(again).toEqual(linked);
      expect(await store.listIdentities(user.id)).toHaveLength(2);
    });

    test('linking another user’s identity fails with identity_in_use', async () => {
      const owner = await newUser('g-1');
      const other = await newUser('g-2');
      await rejectsWith(store.link(other.id, google('g-1')), 'identity_in_use');
      expect((await store.findIdentity('google', 'g-1'))?.userId).toBe(owner.id);
      expect(await store.listIdentities(other.id)).toHaveLength(1);
    });

    test('linking to a user that does not exist creates nothing', async () => {
      await expect(store.link('nobody', kakao('k-1'))).rejects.toThrow(/no user/);
      expect(await store.findIdentity('kakao', 'k-1')).toBeUndefined();
    });

    test('unlinks one of several identities', async () => {
      const user = await newUser();
      const kakaoIdentity = await store.link(user.id, kakao('k-1'));
      expect(await store.unlink(user.id, 'kakao', 'k-1')).toEqual(kakaoIdentity);
      expect(await store.findIdentity('kakao', 'k-1')).toBeUndefined();
      expect(await store.listIdentities(user.id)).toHaveLength(1);
      expect(await store.unlink(user.id, 'kakao', 'k-1')).toBeUndefined();
    });

    test('does not unlink another user’s identity', async () => {
      const owner = await newUser('g-1');
      const other = await newUser('g-2');
      await store.link(other.id, kakao('k-1'));
      expect(await store.unlink(other.id, 'google', 'g-1')).toBeUndefined();
      expect((await store.findIdentity('google', 'g-1'))?.userId).toBe(owner.id);
    });

    test('refuses to unlink the last identity with last_identity', async () => {
      const user = await newUser();
      await rejectsWith(store.unlink(user.id, 'google', 'g-1'), 'last_identity');
      expect(await store.findIdentity('google', 'g-1')).toBeDefined();
      expect(await store.listIdentities(user.id)).toHaveLength(1);
    });

    test('lists identities oldest first, also after unlink and re-link', async () => {
      const user = await newUser('g-1');
      for (const subject of ['k-1', 'k-2', 'k-3']) await store.link(user.id, kakao(subject));
      const order = async () => (await store.listIdentities(user.id)).map((i) => i.subject);
      expect(await order()).toEqual(['g-1', 'k-1', 'k-2', 'k-3']);
      await store.unlink(user.id, 'kakao', 'k-1');
      await store.link(user.id, kakao('k-1'));
      expect(await order()).toEqual(['g-1', 'k-2', 'k-3', 'k-1']);
    });

    test('saves tokens and the re-consent flag', async () => {
      await newUser();
      await store.saveTokens('google', 'g-1', 'sealed-1', false);
      expect(await store.findIdentity('google', 'g-1')).toMatchObject({
        tokens: 'sealed-1',
        needsReauth: false,
      });
      await store.saveTokens('google', 'g-1', undefined, true);
      const found = await store.findIdentity('google', 'g-1');
      expect(found?.needsReauth).toBe(true);
      expect(found && 'tokens' in found).toBe(false);
      await store.saveTokens('google', 'nobody', 'sealed', false);
      expect(await store.findIdentity('google', 'nobody')).toBeUndefined();
    });

    test('updates profile fields and moves the email index', async () => {
      const user = await newUser('g-1', { name: 'Ada', email: 'old@example.com', avatarUrl: 'a' });
      await store.updateUser(user.id, { name: 'Ada L.', email: 'New@Example.com' });
      expect(await store.getUser(user.id)).toEqual({
        ...user,
        name: 'Ada L.',
        email: 'New@Example.com',
      });
      expect(await store.findUserByVerifiedEmail('old@example.com')).toBeUndefined();
      expect((await store.findUserByVerifiedEmail('new@example.com'))?.id).toBe(user.id);
      await store.updateUser(user.id, { avatarUrl: 'b' });
      expect(await store.getUser(user.id)).toMatchObject({
        email: 'New@Example.com',
        avatarUrl: 'b',
      });
      await store.updateUser('nobody', { name: 'Ghost' });
      expect(await store.getUser('nobody')).toBeUndefined();
    });

    test('moving an email neither takes nor frees another user’s index entry', async () => {
      const holder = await newUser('g-1', { email: 'taken@example.com' });
      const mover = await newUser('g-2', { email: 'mine@example.com' });
      await store.updateUser(mover.id, { email: 'taken@example.com' });
      expect((await store.findUserByVerifiedEmail('taken@example.com'))?.id).toBe(holder.id);
      await store.updateUser(mover.id, { email: 'elsewhere@example.com' });
      expect((await store.findUserByVerifiedEmail('taken@example.com'))?.id).toBe(holder.id);
      expect((await store.findUserByVerifiedEmail('elsewhere@example.com'))?.id).toBe(mover.id);
    });

    test('keeps subjects with ":" and "%" apart, and unicode intact', async () => {
      const subjects = [
        ['google', 'a:b'],
        ['google:a', 'b'],
        ['google', 'a%3Ab'],
        ['google', '사용자:🙂'],
      ] as const;
      const ids = [];
      for (const [provider, subject] of subjects) {
        const { user, created } = await store.createUser({}, { ...google(subject), provider });
        expect(created).toBe(true);
        ids.push(user.id);
        expect(await store.findIdentity(provider, subject)).toMatchObject({ provider, subject });
      }
      expect(new Set(ids).size).toBe(subjects.length);
      const user = await newUser('x', { name: 'Jürgen 김', email: 'JÜRGEN@exämple.com' });
      expect(await store.getUser(user.id)).toMatchObject({ name: 'Jürgen 김' });
      // Only ASCII letters fold (emailKey, email-key.test.ts): `Ü` and `ü` are not joined.
      expect(await store.findUserByVerifiedEmail('jÜrgen@EXämple.COM')).toEqual(user);
      expect(await store.findUserByVerifiedEmail('jürgen@exämple.com')).toBeUndefined();
    });

    test('64-bit ids stay exact strings', async () => {
      const big = '9223372036854775807';
      const { user } = await store.createUser({}, kakao(big));
      await store.link(user.id, kakao('12345678901234567890'));
      expect(await store.findIdentity('kakao', '9223372036854775806')).toBeUndefined();
      const subjects = (await store.listIdentities(user.id)).map((i) => i.subject);
      expect(subjects).toEqual([big, '12345678901234567890']);
      expect((await store.findIdentity('kakao', big))?.subject).toBe(big);
    });

    test('hands out copies, never its own objects', async () => {
      const { user, identity } = await store.createUser({ name: 'Ada' }, google('g-1'));
      user.name = 'Mallory';
      identity.userId = 'someone-else';
      const listed = await store.listIdentities(user.id);
      if (listed[0]) listed[0].tokens = 'forged';
      expect((await store.getUser(user.id))?.name).toBe('Ada');
      expect(await store.findIdentity('google', 'g-1')).toEqual({ ...identity, userId: user.id });
    });
  });
}
