/**
 * @socialauth/core: one Express router for social login.
 *
 * @example
 * ```ts
 * import { socialAuth, requireAuth } from '@socialauth/core';
 * import { google } from '@socialauth/google';
 * app.use(socialAuth({ baseURL: 'http://localhost:3000', secret, providers: [google()] }));
 * ```
 * @packageDocumentation
 */
import './types';

export { socialAuth, type SocialAuthRouter, type SocialAuthAdmin } from './socialauth';
export type { DeleteOptions } from './flow/delete-account';
export type { SessionInfo } from './session/user-sessions';
export {
  requireAuth,
  requireScopes,
  requireRecentLogin,
  type RequireAuthOptions,
  type RequireRecentLoginOptions,
} from './doors/require-auth';
export { SocialAuthError, ERROR_CODES, type SocialAuthErrorCode } from './errors';
export { safeRedirect, type RedirectPolicy } from './flow/redirect';
export { negotiateLocale, type Locale, type LocaleSetting, type MessageOverrides } from './locale';
export { inAppBrowser, type InAppBrowser } from './flow/in-app';
export { maskEmail, maskSubject } from './doors/link-page';
export type { SocialAuthConfig, Logger, RateLimitOptions } from './config';
export type {
  Identity,
  SessionUser,
  SocialAuthUser,
  SocialAuthSessionData,
  SocialAuthRequest,
} from './types';
export {
  memoryAccounts,
  redisAccounts,
  type RedisAccountsOptions,
  type AccountStore,
  type StoredIdentity,
  type StoredUser,
  type UserQuery,
  type UserPage,
  type DeletedUser,
} from './accounts';
export {
  redisSession,
  type RedisSessionOptions,
  type SocialAuthRedisStore,
} from './session/redis-store';
export {
  memoryCoordination,
  redisCoordination,
  type Coordination,
  type RedisCoordinationOptions,
} from './coordination';
export type {
  SocialAuthHooks,
  AccountEvent,
  AccountDeletion,
  RevokeOutcome,
} from './accounts/hooks';
export type { PendingLink } from './accounts/rules';
export type { ProviderPlugin, SocialProfile } from './contract';
export { clientCredentials } from './tokens/client-credentials';
export { oidc } from './provider/oidc';
export { oauth2 } from './provider/oauth2';
export type { AccountExport } from './flow/export';
