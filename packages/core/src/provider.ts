/**
 * `@socialauth/core/provider`: the provider kit. The plugin contract and the helpers a provider
 * package (or a store) is written with; an app needs only `@socialauth/core`.
 *
 * @example
 * ```ts
 * import { providerBasics, type ProviderPlugin } from '@socialauth/core/provider';
 * ```
 * @packageDocumentation
 */
export {
  type AuthCodeFlow,
  type ClientAuthMethod,
  type ConfigIssue,
  type DescribeAnswer,
  type Endpoints,
  type IdTokenPolicy,
  type NativeToken,
  type PendingFlow,
  type ProviderBasics,
  type ProviderOptionsBase,
  type ProviderPlugin,
  type ProviderReason,
  type SocialProfile,
  type StateStore,
  type StrategyContext,
  type TokenRefusal,
  type TokenSet,
  type VerifyCallback,
  type WebhookEvent,
  type WebhookRequest,
} from './contract';
export { SocialAuthError, type SocialAuthErrorCode } from './errors';
export {
  bearerGet,
  emulatorCredentialIssues,
  parseProfileJson,
  providerBasics,
  safeEqual,
  webhookParam,
} from './provider/helpers';
export { describeAnswer, revokeAt, revokeRefused } from './provider/generic';
export { providerStrategy } from './passport/strategy';
export {
  describeOAuthError,
  isOAuthError,
  postForm,
  refreshTokens,
  withClientAuth,
  basicCredentials,
  toTokenSet,
  type OAuthErrorBody,
  type ProviderResponse,
  type RefreshEndpoint,
} from './tokens/endpoints';
export { appIdTokenVerifier, providerJwtVerifier } from './tokens/id-token';
export { MAX_PROVIDER_RESPONSE_BYTES, backChannelFetch } from './net/back-channel';
export { oidc, type OidcClaimNames, type OidcOptions, type OidcPlugin } from './provider/oidc';
export { oauth2, type OAuth2Options, type OAuth2ProfileFields } from './provider/oauth2';
export type { OidcMetadata } from './provider/discovery';
export {
  clientCredentials,
  type ClientCredentials,
  type ClientCredentialsOptions,
  type ClientToken,
} from './tokens/client-credentials';
// Locale tables, for a door's or a provider's own texts, and the built-in ones (Korean and
// English, every key) for a tool or test that checks socialauth's pages.
export type { MessageKey, Messages } from './locale';
export { BUILT_IN as builtInMessages } from './locale';
// For store authors: the account store's records and its shared rules.
export type { NewIdentity, NewUser, UserQuery, UserPage, DeletedUser } from './accounts/types';
export { emailKey } from './accounts/email';
export {
  checkQuery,
  emailPage,
  subjectCursor,
  userCursor,
  DEFAULT_PAGE,
  MAX_PAGE,
  type CheckedQuery,
} from './accounts/user-query';
export { isScopeToken, mergeScopes, scopeList } from './accounts/scopes';
export { providerData, PROVIDER_DATA_MAX_BYTES } from './accounts/provider-data';
