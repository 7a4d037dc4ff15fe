import type { StoredIdentity, StoredUser } from './types';
import type { SocialAuthError } from '../errors';
import type { SocialProfile } from '../contract';

/** What a sign-in, sign-up or link hook receives. */
export interface AccountEvent {
  user: StoredUser;
  identity: StoredIdentity;
  profile: SocialProfile;
}

/**
 * App decisions and notifications, each awaited in order. A hook that throws fails the request
 * it runs in (except `onError`, whose failures are ignored).
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
  /**
   * Every failed sign-in (start, callback, token sign-in, connect) and refused webhook, with the
   * provider and, when signed in, the user; and failures that did not fail the request, such as
   * a provider refusing a revoke. The error is a copy without `cause`: nothing a provider sent.
   * `link_pending` is an answer, not a failure: it is not reported. Not awaited by the answer,
   * and its own failures are ignored.
   */
  onError?(
    error: SocialAuthError,
    context: { provider?: string; userId?: string },
  ): void | Promise<void>;
}
