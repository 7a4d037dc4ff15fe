import type { StoredIdentity, StoredUser } from './types';
import type { SocialAuthError } from '../errors';
import type { SocialProfile } from '../contract';

/**
 * How an identity's grant ended when its account was deleted: `revoked` at the provider;
 * `nothing_to_revoke` (no tokens kept, access already ended, or a provider without revocation);
 * `refused` (the provider answered no, e.g. to a token it no longer knows: final, reported to
 * `onError`); `unreachable` (no answer, or a 5xx: only with `force`, else the deletion stops).
 */
export type RevokeOutcome = 'revoked' | 'nothing_to_revoke' | 'refused' | 'unreachable';

/** A finished account deletion: `auth.deleteUser`'s answer and `onUserDeleted`'s event. */
export interface AccountDeletion {
  user: StoredUser;
  /** Every identity the account had, with how its grant at the provider ended. */
  identities: { provider: string; subject: string; revoke: RevokeOutcome }[];
  /** The sessions ended, on every instance. */
  sessionsEnded: number;
}

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
   * Runs first when an account is to be deleted (the user's `POST /auth/account/delete`, or
   * `auth.deleteUser`), before anything of socialauth's is touched: delete the app's own rows of
   * the user here, or return `false` to veto (`deletion_refused`). A throw stops the deletion
   * too (the route answers `deletion_failed`; `auth.deleteUser` rethrows it). A deletion stopped
   * later (a provider down) runs this again on the retry: make it idempotent.
   */
  beforeDeleteUser?(event: {
    user: StoredUser;
    identities: StoredIdentity[];
  }): boolean | void | Promise<boolean | void>;
  /** The account is gone from the store (its sessions ended, its identities revoked). */
  onUserDeleted?(event: AccountDeletion): void | Promise<void>;
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
