// Issue 17: a verified email joins an existing user only when it is the same address. The stores
// matched on `toLowerCase()`, which folds more than case: KELVIN SIGN (U+212A) becomes `k` and
// ANGSTROM SIGN (U+212B) `å`, so `\u212Aim@example.com` found the user of `kim@example.com`.
// Now only ASCII letters are folded; anything else is compared as given, in every store.
import { memoryBackend, redisBackend, runEmailKeyContract } from '@socialauth/testkit';
import { emailKey } from '../src/provider';

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

// The same rule in every store (PostgreSQL's runs in packages/postgres/test).
runEmailKeyContract([memoryBackend(), redisBackend()]);
