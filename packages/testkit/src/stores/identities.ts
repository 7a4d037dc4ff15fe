// The identities the store tests sign in with: a verified Google one and an unverified Kakao
// one (Kakao's email is verified only when the app asks for it), one builder each for every
// store's tests.
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
