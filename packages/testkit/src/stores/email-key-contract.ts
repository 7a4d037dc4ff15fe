// Issue 17: a verified email joins an existing user only when it is the same address; only
// ASCII letters are folded, in every store (emailKey, packages/core/test/email-key.test.ts).
// Part of the store contract: run by core (memory, Redis) and by @socialauth/postgres.
import type { AccountStore } from '@socialauth/core';
import { accountStores, type StoreBackend } from './account-stores';

/** Registers the email-key suites (`<name> account store`), one per backend. */
export function runEmailKeyContract(backends: readonly StoreBackend[]): void {
  describe.each(accountStores(backends, 'email-key:'))('%s account store', (_name, make) => {
    let store: AccountStore;
    beforeEach(() => {
      store = make();
    });
    afterEach(() => store.close?.());

    const userWith = async (subject: string, email: string) =>
      (
        await store.createUser(
          { email },
          { provider: 'google', subject, email, emailVerified: true },
        )
      ).user;

    test('KELVIN SIGN and ANGSTROM SIGN find nobody; ASCII case still does', async () => {
      const kim = await userWith('g-1', 'kim@example.com');
      const asa = await userWith('g-2', 'åsa@example.se');
      expect(await store.findUserByVerifiedEmail('\u212Aim@example.com')).toBeUndefined();
      expect(await store.findUserByVerifiedEmail('\u212Bsa@example.se')).toBeUndefined();
      expect((await store.findUserByVerifiedEmail('KIM@Example.com'))?.id).toBe(kim.id);
      expect((await store.findUserByVerifiedEmail('åsa@EXAMPLE.se'))?.id).toBe(asa.id);
      // Upper-case non-ASCII is not folded: no join rather than a guess.
      expect(await store.findUserByVerifiedEmail('Åsa@example.se')).toBeUndefined();
    });

    test('the look-alike address is a user of its own, and the first keeps its own', async () => {
      const kim = await userWith('g-1', 'kim@example.com');
      const kelvin = await userWith('g-2', '\u212Aim@example.com');
      expect((await store.findUserByVerifiedEmail('\u212Aim@example.com'))?.id).toBe(kelvin.id);
      expect((await store.findUserByVerifiedEmail('kim@example.com'))?.id).toBe(kim.id);
    });

    test('an email changed by updateUser moves under the same rule', async () => {
      const kim = await userWith('g-1', 'kim@example.com');
      await store.updateUser(kim.id, { email: 'KIM@example.com' });
      expect((await store.findUserByVerifiedEmail('kim@example.com'))?.id).toBe(kim.id);
      await store.updateUser(kim.id, { email: '\u212Aim@example.org' });
      expect(await store.findUserByVerifiedEmail('kim@example.org')).toBeUndefined();
      expect((await store.findUserByVerifiedEmail('\u212Aim@example.org'))?.id).toBe(kim.id);
      expect(await store.findUserByVerifiedEmail('kim@example.com')).toBeUndefined();
    });
  });
}
