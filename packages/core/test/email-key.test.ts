// Issue 17: a verified email joins an existing user only when it is the same address. The stores
// matched on `toLowerCase()`, which folds more than case: KELVIN SIGN (U+212A) becomes `k` and
// ANGSTROM SIGN (U+212B) `å`, so `\u212Aim@example.com` found the user of `kim@example.com`.
// Now only ASCII letters are folded; anything else is compared as given, in every store.
import { type AccountStore } from '../src';
import { emailKey } from '../src/kit';
import { accountStores } from './account-stores';

describe('emailKey', () => {
  test.each([
    ['Kim@Example.COM', 'kim@example.com'],
    ['\u212Aim@example.com', '\u212Aim@example.com'],
    ['\u212Bsa@example.se', '\u212Bsa@example.se'],
    ['ÅSA@Example.se', 'Åsa@example.se'],
    ['İNCİ@example.com', 'İncİ@example.com'],
    ['김민지@example.kr', '김민지@example.kr'],
  ])('%s is matched as %s', (email, key) => {
    expect(emailKey(email)).toBe(key);
  });
});

describe.each(accountStores('email-key:'))('%s account store', (_name, make) => {
  let store: AccountStore;
  beforeEach(() => {
    store = make();
  });
  afterEach(() => store.close?.());

  const userWith = async (subject: string, email: string) =>
    (await store.createUser({ email }, { provider: 'google', subject, email, emailVerified: true }))
      .user;

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
