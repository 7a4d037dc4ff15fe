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

export { socialAuth, type SocialAuthRouter } from './router';
export type { SessionInfo } from './session-index';
export { requireAuth, type RequireAuthOptions } from './require-auth';
export {
  SocialAuthError,
  ERROR_CODES,
  errorCodes,
  isErrorCode,
  type SocialAuthErrorCode,
} from './errors';
export { safeRedirect, type RedirectPolicy } from './redirect';
export type { SocialAuthConfig, Logger } from './config';
export {
  postForm,
  refreshTokens,
  toTokenSet,
  describeOAuthError,
  type OAuthErrorBody,
  type ProviderResponse,
  type RefreshEndpoint,
} from './tokens';
export type { Identity, SocialAuthUser, SocialAuthSessionData, SocialAuthRequest } from './types';
export * from './accounts';
export { redisSession, type RedisSessionOptions, type SocialAuthRedisStore } from './redis-session';
export type { RateLimitOptions } from './rate-limit';
export type { SocialAuthHooks, AccountEvent } from './hooks';
export type { PendingLink } from './linking';
export {
  providerBasics,
  parseProfileJson,
  rawProfileFetcher,
  type ProviderBasics,
  type ProviderOptionsBase,
  type ConfigIssue,
  type IdTokenPolicy,
  type PendingFlow,
  type ProviderPlugin,
  type SocialProfile,
  type StateStore,
  type StrategyContext,
  type TokenSet,
  type VerifyCallback,
} from './provider';
