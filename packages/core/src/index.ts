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

export { socialAuth, type SocialAuthRouter } from './socialauth';
export type { SessionInfo } from './session/user-sessions';
export { requireAuth, type RequireAuthOptions } from './doors/require-auth';
export {
  SocialAuthError,
  ERROR_CODES,
  errorCodes,
  isErrorCode,
  type SocialAuthErrorCode,
} from './errors';
export { safeRedirect, type RedirectPolicy } from './flow/redirect';
export {
  negotiateLocale,
  type Locale,
  type LocaleSetting,
  type MessageKey,
  type MessageOverrides,
  type Messages,
} from './locale';
export { maskEmail, maskSubject } from './doors/link-page';
export type { SocialAuthConfig, Logger, RateLimitOptions } from './config';
export {
  postForm,
  refreshTokens,
  toTokenSet,
  describeOAuthError,
  isOAuthError,
  type OAuthErrorBody,
  type ProviderResponse,
  type RefreshEndpoint,
} from './tokens/endpoints';
export type {
  Identity,
  SessionUser,
  SocialAuthUser,
  SocialAuthSessionData,
  SocialAuthRequest,
} from './types';
export * from './accounts';
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
export type { SocialAuthHooks, AccountEvent } from './accounts/hooks';
export type { PendingLink } from './accounts/rules';
export {
  bearerGet,
  emulatorCredentialIssues,
  providerBasics,
  parseProfileJson,
  rawProfileFetcher,
  safeEqual,
  webhookParam,
} from './provider/helpers';
export {
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
  type NativeToken,
  type WebhookEvent,
  type WebhookRequest,
} from './provider/contract';
export { appIdTokenVerifier } from './tokens/id-token';
export { MAX_PROVIDER_RESPONSE_BYTES } from './provider/back-channel';
export { oidc, type OidcOptions, type OidcPlugin, type OidcClaimNames } from './provider/oidc';
export { oauth2, type OAuth2Options, type OAuth2ProfileFields } from './provider/oauth2';
export type { OidcMetadata } from './provider/discovery';
export {
  clientCredentials,
  type ClientCredentials,
  type ClientCredentialsOptions,
  type ClientToken,
} from './tokens/client-credentials';
