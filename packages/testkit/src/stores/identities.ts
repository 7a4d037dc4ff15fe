// The identities the store tests sign in with, one builder each for every store's tests: a
// Google one with a verified email and a Kakao one without, so the linking rules see both.
import type { NewIdentity } from '@socialauth/core/provider';

/** A Google identity, email verified, with any field overridden. */
export const googleIdentity = (subject: string, extra: Partial<NewIdentity> = {}): NewIdentity => ({
  provider: 'google',
  subject,
  emailVerified: true,
  ...extra,
});

/** A Kakao identity with an unverified email. */
export const kakaoIdentity = (subject: string): NewIdentity => ({
  provider: 'kakao',
  subject,
  emailVerified: false,
});
