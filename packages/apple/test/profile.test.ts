// toProfile and nameFromUser on the shapes Apple documents ("Authenticating users with Sign in
// with Apple", the id_token reference, checked 2026-12-07): flags as strings or booleans.
import { nameFromUser, toProfile } from '../src';

const SUB = '001234.9a1b2c3d4e5f60718293a4b5c6d7e8f9.0101';

test('email_verified and is_private_email as strings or booleans', () => {
  for (const [verified, expected] of [
    ['true', true],
    [true, true],
    ['false', false],
    [false, false],
    [undefined, false],
  ] as const) {
    const profile = toProfile({ sub: SUB, email: 'a@icloud.com', email_verified: verified });
    expect([verified, profile.emailVerified]).toEqual([verified, expected]);
  }
  expect(
    toProfile({ sub: SUB, email: 'x@icloud.com', is_private_email: 'true' }).emailIsRelay,
  ).toBe(true);
  expect(
    toProfile({ sub: SUB, email: 'x@icloud.com', is_private_email: false }).emailIsRelay,
  ).toBeUndefined();
});

test('relay domains flag an address even without the claim; no email, no flag', () => {
  for (const email of ['k@privaterelay.appleid.com', 'k@Private.iCloud.com']) {
    expect(toProfile({ sub: SUB, email }).emailIsRelay).toBe(true);
  }
  expect(toProfile({ sub: SUB, is_private_email: 'true' })).toMatchObject({
    email: undefined,
    emailVerified: false,
  });
  expect(toProfile({ sub: SUB, is_private_email: 'true' }).emailIsRelay).toBeUndefined();
});

test('no sub, or not JSON: profile_fetch_failed', () => {
  expect(() => toProfile({ email: 'a@icloud.com' })).toThrow(
    expect.objectContaining({ code: 'profile_fetch_failed' }),
  );
  expect(() => toProfile('{')).toThrow(expect.objectContaining({ code: 'profile_fetch_failed' }));
});

test('names: Korean family name first without a space, others given name first', () => {
  expect(nameFromUser('{"name":{"firstName":"민지","lastName":"김"}}')).toBe('김민지');
  expect(nameFromUser({ name: { firstName: 'Minji', lastName: 'Kim' } })).toBe('Minji Kim');
  expect(nameFromUser({ name: { firstName: '太郎', lastName: '山田' } })).toBe('山田太郎');
  expect(nameFromUser({ name: { firstName: ' Ada ', lastName: '' } })).toBe('Ada');
  expect(nameFromUser({ name: { lastName: '김' } })).toBe('김');
  for (const bad of [
    undefined,
    null,
    '',
    '{',
    '[]',
    '{"name":"x"}',
    { name: { firstName: 3 } },
    'x'.repeat(5000),
  ]) {
    expect(nameFromUser(bad)).toBeUndefined();
  }
});
