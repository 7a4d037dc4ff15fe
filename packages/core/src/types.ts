import type { PendingFlow } from './contract';
import type { SessionInfo } from './session/user-sessions';

/** A new identity whose email matches an existing user it may not join on its own. */
export interface PendingLink {
  /** Random: a sign-in carries the link over only when started from this link's page. */
  id: string;
  userId: string;
  /** The name the provider gave, shown when the owner is asked to confirm. */
  name?: string;
  provider: string;
  subject: string;
  email?: string;
  emailVerified: boolean;
  /** Sealed by the vault: never in the clear, even server-side. None from an ID-token sign-in. */
  tokens?: string;
  /** The scopes the sign-in was granted: recorded when the link is confirmed. */
  scopes?: string[];
  createdAt: number;
}

/** A social identity linked to a user. Never carries tokens. */
export interface Identity {
  provider: string;
  /** The provider's permanent subject id. */
  subject: string;
  email?: string;
  /** ISO 8601. */
  linkedAt: string;
  /** The provider refused a refresh: sign in with it again to restore access. */
  needsReauth?: boolean;
}

/** The signed-in user, as `req.user` and `GET /auth/session` show it. */
export interface SocialAuthUser {
  id: string;
  name?: string;
  /**
   * An email to show. It may be one the provider has not verified: check `emailVerified` before
   * trusting it for anything (invitations, domain checks, matching accounts).
   */
  email?: string;
  /** True only when a provider verified `email`. */
  emailVerified: boolean;
  avatarUrl?: string;
  /** The provider used for the current sign-in. */
  provider: string;
  identities: Identity[];
}

/**
 * Who is signed in, as the session keeps it. The rest of `req.user` (name, email, identities) is
 * read from the account store and cached in the process, so a session stays small.
 */
export interface SessionUser {
  id: string;
  /** The provider used for this session's sign-in. */
  provider: string;
}

/** What socialauth keeps in the session under one key. */
export interface SocialAuthSessionData {
  /** Synchronizer CSRF token for the POST routes. */
  csrf?: string;
  /** A sign-in that must be confirmed by the owner of the matching account. */
  pendingLink?: PendingLink;
  /** Sign-ins in flight, keyed by their state value (several tabs may each have one). */
  flows?: Record<string, PendingFlow>;
  /** The signed-in user: the id and sign-in provider only (`req.user` has the whole picture). */
  user?: SessionUser;
  /** When the signed-in session was last written: the lazy touch extends it once per window. */
  touchedAt?: number;
  /** When the user signed in (epoch ms): the session ends `maxLifetime` after it. */
  authenticatedAt?: number;
}

declare module 'express-session' {
  interface SessionData {
    socialauth?: SocialAuthSessionData;
  }
}

/** What `req.socialAuth` offers a route of the app. */
export interface SocialAuthRequest {
  /**
   * A valid access token for the signed-in user's identity at `provider`, refreshed when due.
   * With one identity there, that one; with several (two Google accounts linked), name it by
   * `subject` (its `Identity.subject`), or this fails with `invalid_request`.
   *
   * @example
   * ```ts
   * const token = await req.socialAuth.accessToken('google', { subject: identity.subject });
   * ```
   */
  accessToken(provider: string, options?: { subject?: string }): Promise<string>;
  /**
   * `fetch` with the user's Bearer token for `provider`; `init.subject` picks the identity when
   * the user has several there (see {@link SocialAuthRequest.accessToken}).
   */
  fetch(
    provider: string,
    url: string | URL,
    init?: RequestInit & { subject?: string },
  ): Promise<Response>;
  /**
   * The provider's latest profile for the user's identity at `provider` (allauth's
   * `extra_data`): what it answered at the last sign-in, without credentials or inline pictures,
   * at most 8 KB; `undefined` when none was kept. `subject` picks the identity as for
   * {@link SocialAuthRequest.accessToken}.
   *
   * @example
   * ```ts
   * const kakao = await req.socialAuth.providerData('kakao'); // { id, kakao_account: {...}, ... }
   * ```
   */
  providerData(
    provider: string,
    options?: { subject?: string },
  ): Promise<Record<string, unknown> | undefined>;
  /**
   * The scopes the signed-in user granted their identity at `provider` (the scope ledger):
   * every sign-in's grant, merged, less those the provider said were withdrawn. Empty when the
   * user has no identity there. `subject` picks one of several, as for
   * {@link SocialAuthRequest.accessToken}. Ask for more with `requireScopes`.
   *
   * @example
   * ```ts
   * if (!(await req.socialAuth.scopes('kakao')).includes('phone_number')) ...
   * ```
   */
  scopes(provider: string, options?: { subject?: string }): Promise<string[]>;
  /** The CSRF token to put in forms (`_csrf`) or the `X-CSRF-Token` header of the POST routes. */
  csrfToken(): string;
  /**
   * When the signed-in user authenticated at their provider (this session's sign-in); undefined
   * when anonymous. Ask for a fresh sign-in before a sensitive action when it is too old.
   */
  readonly authenticatedAt: Date | undefined;
  /**
   * Ends every session of the signed-in user, this one included: other devices' cookies stop
   * working at once. Resolves to how many sessions ended. Call it when the user deletes their
   * account, or changes something that should sign every device out.
   */
  signOutEverywhere(): Promise<number>;
  /** The signed-in user's sessions (device, created, last seen), this one marked `current`. */
  sessions(): Promise<SessionInfo[]>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SocialAuthUser {}
    interface Request {
      socialAuth: SocialAuthRequest;
    }
  }
}
