/** A user as the account store keeps it. */
export interface StoredUser {
  id: string;
  name?: string;
  /** The user's email, when one came from a provider that verified it. */
  email?: string;
  avatarUrl?: string;
  /** ISO 8601. */
  createdAt: string;
  /**
   * ISO 8601, set while the user is disabled (`auth.admin.disable`): sign-in is refused with
   * `account_disabled` and no session of the user is served.
   */
  disabledAt?: string;
}

/** A social identity linked to a user: (provider, subject) is its key, never the email. */
export interface StoredIdentity {
  userId: string;
  provider: string;
  subject: string;
  email?: string;
  emailVerified: boolean;
  /** ISO 8601. */
  linkedAt: string;
  /** The provider tokens, encrypted by the token vault (opaque to the store). */
  tokens?: string;
  /** Set when a refresh was refused (`invalid_grant`): the user must sign in with it again. */
  needsReauth?: boolean;
  /**
   * The provider's latest profile for this identity (allauth's `extra_data`), as JSON text:
   * replaced at each sign-in, at most 8 KB, never a token (see `providerData`).
   */
  profile?: string;
  /**
   * The scopes the user granted this identity, sorted and unique: every sign-in's grant added,
   * never narrowed by a later, smaller one, and those the provider says were withdrawn removed
   * (see {@link AccountStore.updateScopes}).
   */
  scopes?: string[];
}

/** A new identity to create or link. */
export type NewIdentity = Omit<StoredIdentity, 'userId' | 'linkedAt'>;

/** A new user's profile fields. */
export type NewUser = Omit<StoredUser, 'id' | 'createdAt' | 'disabledAt'>;

/**
 * Which users {@link AccountStore.listUsers} returns, one page at a time. At most one filter:
 * `email` (the user whose verified email it is, case-insensitive: at most one), `provider`
 * (users with an identity there, by subject; with `subject`, the one identity's user), or none
 * (every user, newest first).
 */
export interface UserQuery {
  email?: string;
  provider?: string;
  subject?: string;
  /** Users per page, 1 to 100; default 20. */
  limit?: number;
  /** The `next` of the previous page; absent for the first. */
  cursor?: string;
}

/** One page of {@link AccountStore.listUsers}: `next` is absent on the last page. */
export interface UserPage {
  users: StoredUser[];
  next?: string;
}

/** What {@link AccountStore.deleteUser} removed. */
export interface DeletedUser {
  user: StoredUser;
  identities: StoredIdentity[];
}

/**
 * Where users and their identities live. Implementations must make `createUser`, `link` and
 * `unlink` atomic: 20 concurrent first sign-ins of one identity create exactly one user.
 * Errors are `SocialAuthError`s (`identity_in_use`, `last_identity`) or the store's own failures.
 *
 * @example A SQL table behind this interface (sketch):
 * ```ts
 * // users(id pk, name, email unique null, avatar_url, created_at)
 * // identities(provider, subject, user_id fk, email, email_verified, linked_at, tokens,
 * //            needs_reauth, primary key (provider, subject))
 * const sqlAccounts: AccountStore = {
 *   findIdentity: (p, s) => db.oneOrNone('select ... from identities where provider=$1 and subject=$2', [p, s]),
 *   // createUser: one transaction; INSERT ... ON CONFLICT (provider, subject) DO NOTHING, then
 *   // read the owner back so a concurrent first sign-in returns the winner's user.
 *   // unlink: DELETE ... WHERE (select count(*) from identities where user_id=$1) > 1
 *   ...
 * };
 * ```
 */
export interface AccountStore {
  /** The identity with this key, if any. */
  findIdentity(provider: string, subject: string): Promise<StoredIdentity | undefined>;
  /** The user whose verified email this is (case-insensitive), if any. */
  findUserByVerifiedEmail(email: string): Promise<StoredUser | undefined>;
  getUser(userId: string): Promise<StoredUser | undefined>;
  /**
   * Creates a user owning `identity`, atomically. When the identity already exists (a concurrent
   * first sign-in won), creates nothing and returns the existing owner with `created: false`.
   * A verified email (`user.email`) is indexed for {@link findUserByVerifiedEmail}.
   */
  createUser(
    user: NewUser,
    identity: NewIdentity,
  ): Promise<{ user: StoredUser; identity: StoredIdentity; created: boolean }>;
  /**
   * Links `identity` to the user, atomically. Already linked to this user: returns it unchanged.
   * Linked to another user: throws `SocialAuthError('identity_in_use')`.
   */
  link(userId: string, identity: NewIdentity): Promise<StoredIdentity>;
  /**
   * Removes one identity of the user, atomically refusing to remove the last one
   * (`SocialAuthError('last_identity')`). Returns the removed identity; `undefined` if the user
   * had no such identity.
   */
  unlink(userId: string, provider: string, subject: string): Promise<StoredIdentity | undefined>;
  /** The user's identities, oldest first. */
  listIdentities(userId: string): Promise<StoredIdentity[]>;
  /** Replaces the identity's encrypted tokens and re-consent flag. */
  saveTokens(
    provider: string,
    subject: string,
    tokens: string | undefined,
    needsReauth: boolean,
  ): Promise<void>;
  /**
   * Replaces the identity's stored provider profile (`StoredIdentity.profile`; `undefined`
   * removes it); nothing for an identity that does not exist. Optional: a store without it keeps
   * the profile an identity was created or linked with.
   */
  saveProfile?(provider: string, subject: string, profile: string | undefined): Promise<void>;
  /**
   * Adds `grant` to the identity's recorded scopes and then removes `revoke`, atomically (two
   * sign-ins at once both add theirs); the result is sorted and unique. Returns it, or
   * `undefined` when there is no such identity. Optional: without it an identity keeps the
   * scopes it was created or linked with, and `moreScopes` cannot be configured.
   */
  updateScopes?(
    provider: string,
    subject: string,
    change: { grant?: readonly string[]; revoke?: readonly string[] },
  ): Promise<string[] | undefined>;
  /** Updates profile fields after a sign-in (name, avatar; email only when verified). */
  updateUser(userId: string, fields: Partial<NewUser>): Promise<void>;
  /**
   * Removes the user, every identity of it (with its tokens and provider data) and its verified
   * email, atomically: afterwards no part of the account is found. Returns what was removed;
   * `undefined` when there is no such user. Optional, but account deletion (`auth.deleteUser`,
   * `POST /auth/account/delete`) needs it.
   */
  deleteUser?(userId: string): Promise<DeletedUser | undefined>;
  /**
   * Sets (`disabled: true`, `disabledAt` now, kept when already set) or clears the user's
   * `disabledAt`. False when there is no such user. Optional; `auth.admin.disable` needs it.
   */
  setDisabled?(userId: string, disabled: boolean): Promise<boolean>;
  /**
   * One page of users ({@link UserQuery}), read through an index: never the whole table.
   * A malformed `cursor` is `SocialAuthError('invalid_request')`. Optional; `auth.admin.list`
   * needs it.
   */
  listUsers?(query: UserQuery): Promise<UserPage>;
  /** Releases connections (Redis); optional. */
  close?(): Promise<void>;
}
