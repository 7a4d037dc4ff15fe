import type { PendingFlow } from './provider';

/** A social identity linked to a user. Never carries tokens. */
export interface Identity {
  provider: string;
  /** The provider's permanent subject id. */
  subject: string;
  email?: string;
  /** ISO 8601. */
  linkedAt: string;
}

/** The signed-in user, as `req.user` and `GET /auth/session` show it. */
export interface SocialAuthUser {
  id: string;
  name?: string;
  email?: string;
  avatarUrl?: string;
  /** The provider used for the current sign-in. */
  provider: string;
  identities: Identity[];
}

/** What socialauth keeps in the session under one key. */
export interface SocialAuthSessionData {
  /** Sign-ins in flight, keyed by their state value (several tabs may each have one). */
  flows?: Record<string, PendingFlow>;
  user?: SocialAuthUser;
}

declare module 'express-session' {
  interface SessionData {
    socialauth?: SocialAuthSessionData;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SocialAuthUser {}
  }
}
