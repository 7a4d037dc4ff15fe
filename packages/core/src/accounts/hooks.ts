import type { StoredIdentity, StoredUser } from './types';
import type { SocialAuthError } from '../errors';
import type { SocialProfile } from '../provider/contract';

/** What a sign-in, sign-up or link hook receives. */
export interface AccountEvent {
  user: StoredUser;
  identity: StoredIdentity;
  profile: SocialProfile;
}

/**
 * App decisions and notifications, each awaited in order. A hook that throws fails the request
 * it runs in (except `onError`, whose failures are logged and ignored).
 *
 * @example
 * ```ts
 * hooks: {
 *   // Only an email the provider verified says who the user is.
 *   isSignupAllowed: (profile) =>
 *     profile.emailVerified && (profile.email?.endsWith('@example.com') ?? false),
 *   onSignup: async ({ user }) => { await db.insert('profiles', { id: user.id }); },
 * }
 * ```
 */
export interface SocialAuthHooks {
  /** Return false to refuse a new user (`signup_closed`). */
  isSignupAllowed?(profile: SocialProfile): boolean | Promise<boolean>;
  onSignup?(event: AccountEvent): void | Promise<void>;
  onLogin?(event: AccountEvent): void | Promise<void>;
  onLink?(event: AccountEvent): void | Promise<void>;
  onUnlink?(event: { user: StoredUser; identity: StoredIdentity }): void | Promise<void>;
  /** Failures worth knowing that did not fail the request, such as a provider refusing a revoke. */
  onError?(
    error: SocialAuthError,
    context: { provider?: string; userId?: string },
  ): void | Promise<void>;
}
