import type { Response } from 'express';
import { sendJson } from '../../http';
import type { ProviderContext } from '../../provider';
import type { AuthorizationCode, ExpiringMap, TokenStore } from '../../state';
import type { EmulatorEndpoint } from '../../types';
import type { GoogleUser } from './users';

/** Google's real paths; only the origin differs from production. */
export const GOOGLE_PATHS = {
  discovery: '/.well-known/openid-configuration',
  authorize: '/o/oauth2/v2/auth',
  token: '/token',
  userinfo: '/v1/userinfo',
  jwks: '/oauth2/v3/certs',
  revoke: '/revoke',
} as const satisfies Partial<Record<EmulatorEndpoint, string>>;

/**
 * The `iss` of Google's ID tokens and discovery document, whatever origin the emulator serves on:
 * a client checks it exactly as it would Google's (Google also documents the spelling without
 * the scheme, `accounts.google.com`, for older tokens).
 */
export const GOOGLE_ISSUER = 'https://accounts.google.com';

export const CODE_TTL_MS = 5 * 60 * 1000;
/** Google answers expires_in 3599 for its one-hour access tokens. */
export const ACCESS_TOKEN_SECONDS = 3599;
export const ID_TOKEN_SECONDS = 3600;

// Shapes of Google's real tokens: codes '4/0A…', access 'ya29.…', refresh '1//0…'.
export const TOKEN_PREFIX = { code: '4/0A', access: 'ya29.a0', refresh: '1//0' } as const;

/** A running emulated Google: the shared services, its users and its own state. */
export interface GoogleContext extends ProviderContext<GoogleUser> {
  readonly issuer: string;
  /**
   * `<clientId> <sub>` of the offline grants a user consented to: Google returns a refresh token
   * on the first consent only, or again with `prompt=consent`. Revoking the grant forgets it.
   */
  readonly offlineConsents: Set<string>;
  readonly codes: ExpiringMap<AuthorizationCode>;
  readonly tokens: TokenStore;
}

export const EMAIL_SCOPE = 'https://www.googleapis.com/auth/userinfo.email';
export const PROFILE_SCOPE = 'https://www.googleapis.com/auth/userinfo.profile';

const SHORT_SCOPES: Record<string, string> = { email: EMAIL_SCOPE, profile: PROFILE_SCOPE };

export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'Associate you with your personal info on Google',
  [EMAIL_SCOPE]: 'See your primary Google Account email address',
  [PROFILE_SCOPE]: 'See your personal info, including any you have made publicly available',
};

/**
 * Google's scope list in the form it reports back: 'email' and 'profile' expanded to their
 * URLs, duplicates dropped. Undefined when a scope is not one Google would accept.
 */
export function expandScopes(scope: string): string[] | undefined {
  const expanded: string[] = [];
  for (const item of scope.split(' ').filter(Boolean)) {
    const full = SHORT_SCOPES[item] ?? item;
    if (full !== 'openid' && !full.startsWith('https://www.googleapis.com/auth/')) return undefined;
    if (!expanded.includes(full)) expanded.push(full);
  }
  return expanded.length > 0 ? expanded : undefined;
}

export function findUser(g: GoogleContext, sub: string): GoogleUser | undefined {
  return g.users.find((user) => user.sub === sub);
}

/** Google's OAuth error body: `{"error": ..., "error_description": ...}`. */
export function sendOAuthError(
  res: Response,
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error, error_description: description }, headers);
}
