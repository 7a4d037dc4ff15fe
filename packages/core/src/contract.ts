import type { Request } from 'express';
import type { Strategy } from 'passport';

/** A profile in the one shape every provider maps to. */
export interface SocialProfile {
  /** The provider's id, e.g. `'google'`. */
  provider: string;
  /** The provider's permanent subject id, always a string (Kakao's ids exceed 2^53). */
  id: string;
  email?: string;
  /** True only when the provider says it verified `email`. */
  emailVerified: boolean;
  name?: string;
  nickname?: string;
  avatarUrl?: string;
  /**
   * True when `email` is a relay address the provider forwards to the user's inbox (Sign in with
   * Apple's "Hide My Email"): deliverable and verified, but unique to this app, so it never
   * matches the user's account elsewhere.
   */
  emailIsRelay?: boolean;
  /** The provider's response, as received. */
  raw: unknown;
}

/** Tokens a provider issued, as core keeps them (server-side only). */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds. */
  expiresAt?: number;
  tokenType?: string;
  scope?: string;
  idToken?: string;
  /**
   * The client the tokens were issued to, when not the plugin's own: a native app's (Sign in with
   * Apple's bundle id). Refresh and revoke must name that client (RFC 6749 §6, RFC 7009 §2.1).
   */
  clientId?: string;
}

/** A sign-in in flight, as the state store keeps it in the session. */
export interface PendingFlow {
  provider: string;
  /** PKCE code verifier (RFC 7636), when the provider takes PKCE. */
  verifier?: string;
  /** OpenID Connect nonce, when the provider issues ID tokens. */
  nonce?: string;
  /** The validated post-login path. */
  next?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Set when a signed-in user connects this provider, rather than signing in. */
  connectFor?: string;
  /** Set when the sign-in was started from the page of this pending link (its id). */
  linkId?: string;
  /**
   * Set for a One Tap nonce (`GET <basePath>/<id>/one-tap`): such a flow is spent only by the
   * One Tap POST, never by a redirect callback (it has no PKCE verifier), and the other way round.
   */
  oneTap?: true;
  /**
   * The scopes this authorization request asked for (RFC 6749 §3.3): when the token response
   * names none, they are what was granted (§5.1).
   */
  scopes?: string[];
  /**
   * Set when a signed-in user (`connectFor`) was sent back to the provider for an identity they
   * have: `consent` to grant more scopes, `reauth` to prove it is still them. Either must come
   * back as one of that user's identities (`wrong_identity` otherwise).
   */
  purpose?: 'consent' | 'reauth';
  /** For `reauth` with OpenID Connect `max_age` (seconds): the ID token's `auth_time` is checked. */
  maxAge?: number;
  /** Set for a silent try (`AuthCodeFlow.silent`): its fallback errors start the usual sign-in. */
  silent?: true;
}

/** The passport-oauth2 state store contract (`store` option), in the PKCE-aware arity. */
export interface StateStore {
  store(
    req: Request,
    verifier: string | undefined,
    appState: unknown,
    meta: unknown,
    callback: (err: Error | null, state?: string) => void,
  ): void;
  verify(
    req: Request,
    state: string,
    meta: unknown,
    callback: (err: Error | null, ok?: string | boolean, info?: unknown) => void,
  ): void;
}

/** The passport-oauth2 verify callback in its `passReqToCallback` form. */
export type VerifyCallback = (
  req: Request,
  accessToken: string,
  refreshToken: string | undefined,
  params: Record<string, unknown>,
  profile: { _raw?: string; _json?: unknown },
  done: (err: Error | null, user?: Express.User | false, info?: unknown) => void,
) => void;

/** What core hands a provider when it builds its passport strategy. */
export interface StrategyContext {
  /** The exact redirect_uri to register and send (RFC 6749 §4.1.3: identical in both requests). */
  callbackURL: string;
  /** Pass as the strategy's `store` option: state and PKCE verifier live in the session. */
  store: StateStore;
  /** Pass as the verify callback with `passReqToCallback: true`. */
  verify: VerifyCallback;
}

/** Where a provider signs in: known up front (oauth2, the built-in providers) or discovered (oidc). */
export interface Endpoints {
  authorize: string;
  token: string;
  /**
   * The profile (userinfo) endpoint. Absent: the verified ID token's claims are the profile
   * (Sign in with Apple has no userinfo endpoint); the plugin must then have an `idToken` policy.
   */
  profile?: string;
  /** Send PKCE S256 (RFC 7636 §4.2). */
  pkce: boolean;
  /**
   * How the client authenticates at the token endpoint (RFC 6749 §2.3.1): `client_secret_post`
   * (the default: `client_id` and `client_secret` in the body) or `client_secret_basic` (HTTP
   * Basic, the credentials form-encoded, and none in the body).
   */
  clientAuth?: ClientAuthMethod;
}

/**
 * What a provider's refusal means, in the few kinds a user can act on (`reason` of
 * `token_exchange_failed`): the app's credentials (`client_rejected`), its redirect URI
 * (`redirect_mismatch`) or its consent items (`scope_not_configured`) are set up wrong, which
 * only the service can fix; the code was used or is too old (`code_used`: sign in again); or the
 * provider is in trouble (`provider_down`: try again later).
 */
export type ProviderReason =
  'client_rejected' | 'redirect_mismatch' | 'scope_not_configured' | 'code_used' | 'provider_down';

/**
 * A provider's refusal at its token endpoint, read: the `reason`, and the developer's log line
 * (the provider's own code, the cause, the console setting to change; never a secret).
 */
export interface TokenRefusal {
  reason: ProviderReason;
  message: string;
}

/** Client authentication at a token endpoint (RFC 6749 §2.3.1, OIDC Core §9). */
export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic';

/**
 * Describes a provider's error answer for a log line: its HTTP status and its parsed JSON body
 * (absent when there was none, or it was not JSON).
 */
export type DescribeAnswer = (
  status: number | undefined,
  body: Record<string, unknown> | undefined,
) => string;

/**
 * A provider's authorization code flow as data, from which core builds its one passport-oauth2
 * strategy. Quirks are named hooks; a provider without the quirk leaves them out.
 */
export interface AuthCodeFlow {
  clientId: string;
  /**
   * The client secret, or a function returning the current one, read at every token request: a
   * secret the plugin makes and renews itself (Sign in with Apple's ES256 JWT).
   */
  clientSecret: string | (() => string);
  /** The endpoints, or a function resolving them before every request (a cached discovery). */
  endpoints: Endpoints | (() => Promise<Endpoints>);
  /** Scopes to ask for. Absent: no `scope` parameter at all. */
  scopes?: readonly string[];
  /** How scopes are joined. Default `' '` (RFC 6749 §3.3). */
  scopeSeparator?: string;
  /** Extra authorization request parameters, in this order; `undefined` ones are left out. */
  authorizationParams?: Readonly<Record<string, string | undefined>>;
  /** Send core's nonce (OpenID Connect Core §3.1.2.1). */
  nonce?: boolean;
  /** Quirk: the token request repeats the authorization request's `state` (Naver). */
  stateInTokenRequest?: boolean;
  /**
   * `form_post`: the provider answers with a POST of the response parameters to the callback
   * (OAuth 2.0 Form Post Response Mode), which core then accepts instead of a GET, and core sends
   * `response_mode=form_post`. Absent: the query (RFC 6749 §4.1.2).
   */
  responseMode?: 'form_post';
  /**
   * How the provider is asked for more scopes on a grant the user already gave (incremental
   * consent: `GET <basePath>/<id>?scope=...`): `params` to add (Google
   * `include_granted_scopes=true`, Naver `auth_type=reprompt`), and `keep`, the configured
   * scopes sent beside the new ones (Kakao: `openid`, so an ID token still comes). Absent: the
   * configured scopes and the new ones, in a plain `scope`.
   */
  moreScopes?: {
    params?: Readonly<Record<string, string>>;
    keep?: readonly string[];
  };
  /**
   * How the provider is made to authenticate the user again (`requireRecentLogin`): `params`
   * to add (Kakao `prompt=login`, Naver `auth_type=reauthenticate`), and `maxAge: true` to send
   * OpenID Connect `max_age` and require the ID token's `auth_time` within it (OIDC Core
   * §3.1.2.1, §3.1.3.7 item 13). Absent: the provider documents no way, and the sign-in is only
   * asked for again.
   */
  reauthenticate?: {
    params?: Readonly<Record<string, string>>;
    maxAge?: boolean;
  };
  /**
   * A silent sign-in to try first inside these in-app browsers (`InAppBrowser.id`, e.g.
   * `kakaotalk`): `params` added (Kakao `prompt=none`), and when the callback brings one of
   * `fallbackErrors`, the sign-in starts again the usual way, with its `next`.
   */
  silent?: {
    inApp: readonly string[];
    params: Readonly<Record<string, string>>;
    fallbackErrors: readonly string[];
  };
  /** Error values besides `access_denied` by which the provider says the user declined. */
  deniedErrors?: readonly string[];
  /**
   * Quirk: profile details the callback's own parameters carry (Apple posts the user's name in
   * `user`, on the first authorization only). Core fills the profile's `name` and `nickname`
   * from it where `toProfile` left them out. Must not throw: malformed input gives `{}`.
   */
  callbackProfile?(
    params: Readonly<Record<string, unknown>>,
  ): Partial<Pick<SocialProfile, 'name' | 'nickname'>>;
  /**
   * Reads the provider's refusal at its token endpoint (its HTTP status and parsed JSON body,
   * errors sent with 200 included) beyond RFC 6749 §5.2's codes, which core reads itself:
   * Kakao's KOE codes, for example. `undefined`: core's reading. Must not throw.
   */
  describeTokenError?(
    status: number,
    body: Readonly<Record<string, unknown>>,
  ): TokenRefusal | undefined;
  /** The provider's error answer at the profile endpoint, for `profile_fetch_failed`. */
  describeProfileError: DescribeAnswer;
  /**
   * Quirk: headers every request of the flow's client sends, the token request included
   * (GitHub answers the token request in JSON only with `Accept: application/json`).
   */
  headers?: Readonly<Record<string, string>>;
  /**
   * Quirk: the profile takes more than the one GET of `endpoints.profile` (GitHub's verified
   * email is in `/user/emails`). Given the access token, it returns what `toProfile` reads; core
   * tags any failure `profile_fetch_failed`. Use the kit's `bearerGet`, never a bare `fetch`.
   */
  loadProfile?(accessToken: string): Promise<unknown>;
}

/** A problem with a provider's configuration: the field and how to fix it. */
export interface ConfigIssue {
  field: string;
  message: string;
}

/** How core checks a provider's ID tokens (OpenID Connect Core §3.1.3.7). */
export interface IdTokenPolicy {
  /** Accepted `iss` values, compared exactly. */
  issuers: readonly string[];
  /**
   * For a multi-tenant provider whose issuer depends on the token (Microsoft's
   * `https://login.microsoftonline.com/{tenantid}/v2.0`): the one `iss` this token may carry,
   * from its own claims, or `undefined` to refuse it (a tenant not allowed). Then `issuers` is
   * not used for ID tokens.
   */
  issuerFor?(claims: Readonly<Record<string, unknown>>): string | undefined;
  /** JWKS URL for the signing keys. */
  jwksURL: string;
  /**
   * For a provider that signs ID tokens with HS256 keyed with the client secret (OIDC Core
   * §10.1; LINE Login's web tokens): that secret. Then `algorithms` must be `['HS256']` and the
   * JWKS is not read. Never set it for a provider that documents asymmetric keys: a token
   * keyed with the secret would then be accepted as the provider's.
   */
  hmacSecret?: string;
  /** The expected `aud` (and `azp`): the client id. */
  clientId: string;
  /** Accepted signing algorithms. */
  algorithms: readonly string[];
  /**
   * RFC 9207 §2.4: whether the provider's metadata promises `iss` in every authorization response
   * (`authorization_response_iss_parameter_supported`); then a callback without it is refused.
   * Absent: `iss` is checked when present, and not required.
   */
  issuerParameterRequired?(): Promise<boolean>;
}

/**
 * A provider's server-to-server notification as the webhook door received it: plain objects, no
 * framework types. Header names are lowercase (Node's `IncomingMessage.headers`).
 */
export interface WebhookRequest {
  method: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed form or JSON body; `{}` when there was none. */
  body: Readonly<Record<string, unknown>>;
  /** The query string's parameters (some providers document them in the request line). */
  query: Readonly<Record<string, unknown>>;
}

/** A notification the provider proved it sent. */
export interface WebhookEvent {
  /**
   * `unlink`: the user ended the app's link at the provider (Kakao 연결 끊기, Naver 연결 끊기
   * 알림, Apple's `consent-revoked` and `account-delete`). `notice`: an authentic notification
   * that asks for no action (Apple's `email-disabled`, `email-enabled`): acknowledged only.
   */
  event: 'unlink' | 'notice';
  /** The identity's subject, as `SocialProfile.id` had it. */
  subject: string;
  /** The status the provider counts as delivered: Kakao wants 200, Naver 204. */
  ackStatus: 200 | 204;
  /**
   * What names this one notification (a signature over its fields, a security event token's
   * `jti`), when the provider sends one: core acts on each once, and acknowledges a replay
   * without acting.
   */
  id?: string;
}

/**
 * What a provider package returns. Core never branches on a provider's identity: everything that
 * differs between providers is a field here.
 *
 * @example
 * ```ts
 * import { google } from '@socialauth/google';
 * const plugin: ProviderPlugin = google({ clientId, clientSecret });
 * ```
 */
export interface ProviderPlugin {
  /** Route segment and key, e.g. `'google'`: lowercase letters, digits and dashes. */
  readonly id: string;
  /** Shown on buttons. */
  readonly name: string;
  /** Whether the provider accepts PKCE S256 (RFC 7636). */
  readonly pkce: boolean;
  /**
   * Whether a verified email from this provider may join an existing user with that email.
   * Default false; the app can override per provider with `trustEmail`.
   */
  readonly trustsEmail?: boolean;
  /** Set when the provider issues ID tokens: core then sends a nonce and verifies the token. */
  readonly idToken?: IdTokenPolicy;
  /**
   * Google Identity Services' One Tap and "Sign in with Google" button post their ID token to
   * `<basePath>/<id>/one-tap` (`login_uri`), checked by `tokenSignIn` with Google's
   * double-submit cookie and a nonce of the session. Absent: those routes answer 404.
   */
  readonly oneTap?: boolean;
  /**
   * True when the provider refuses sign-in inside other apps' browsers (Google: 403
   * `disallowed_useragent`). A browser sign-in started in one (KakaoTalk, Instagram, ...) gets a
   * page that opens it in the phone's own browser instead of the provider's refusal.
   */
  readonly refusesInAppBrowsers?: boolean;
  /** The provider's profile API, for apps that call it with `req.socialAuth.fetch`. */
  readonly profileURL?: string;
  /** Configuration problems, reported by `socialAuth()` at start-up. */
  validate(): ConfigIssue[];
  /** The authorization code flow as data: core builds the passport strategy from it. */
  readonly authCode: AuthCodeFlow;
  /**
   * Only for a flow {@link AuthCodeFlow} cannot describe: the passport strategy, wired to core's
   * state store and verify callback. Absent (the rule): core builds it from `authCode`.
   */
  createStrategy?(ctx: StrategyContext): Strategy;
  /**
   * The scopes a sign-in was granted, for a provider whose token response does not say (Naver:
   * the profile items the user agreed to). Absent: the token response's `scope`, or the scopes
   * asked for when it has none (RFC 6749 §5.1). Must not throw.
   */
  grantedScopes?(answer: {
    tokens?: TokenSet;
    requested: readonly string[];
    profile: SocialProfile;
  }): readonly string[];
  /**
   * The scopes a resource server's refusal says the user no longer grants (Kakao's `-402` with
   * `required_scopes`), read by `req.socialAuth.fetch` beside RFC 6750 §3.1's
   * `insufficient_scope`. They leave the identity's recorded scopes. Must not throw.
   */
  missingScopes?(answer: { status: number; body: unknown }): readonly string[];
  /** Maps the provider's raw profile (body text or parsed JSON) to the shared shape. Pure. */
  toProfile(raw: unknown): SocialProfile;
  /**
   * Trades the refresh token for new tokens; keeps the old refresh token when none comes back.
   * Throws `reauth_required` when the provider no longer honours it.
   */
  refresh?(tokens: TokenSet): Promise<TokenSet>;
  /** Ends the app's access at the provider (Google revoke, Naver revoke, Kakao unlink). */
  revoke?(tokens: TokenSet): Promise<void>;
  /**
   * Verifies a notification the provider sends the app (`POST <basePath>/<id>/webhook`) and says
   * what it reports. Throws `SocialAuthError('webhook_invalid')` when the call does not prove it
   * came from the provider (compare secrets with `safeEqual`), `invalid_request` when an
   * authentic call is malformed. Absent: the provider sends none, and the route answers 404.
   */
  webhook?(request: WebhookRequest): WebhookEvent | Promise<WebhookEvent>;
  /**
   * Native-SDK sign-in (`POST <basePath>/<id>/token`): verifies a token the app's own SDK
   * obtained, and that it was issued to this app (`token_audience_mismatch` otherwise), and
   * returns the profile (and tokens, when the app sent an access token). Absent: 404.
   */
  tokenSignIn?(token: NativeToken): Promise<{ profile: SocialProfile; tokens?: TokenSet }>;
}

/** Options every provider factory takes. */
export interface ProviderOptionsBase {
  /** OAuth client id; defaults to `<PROVIDER>_CLIENT_ID` from the environment. */
  clientId?: string;
  /** OAuth client secret; defaults to `<PROVIDER>_CLIENT_SECRET` from the environment. */
  clientSecret?: string;
  /**
   * Send every request to this origin instead of the provider's hosts, keeping the provider's
   * paths: for `@socialauth/emulator`.
   */
  origin?: string;
}

/** What a provider factory derives from {@link ProviderOptionsBase}. */
export interface ProviderBasics {
  clientId: string;
  clientSecret: string;
  /** Builds an endpoint URL: the override origin (if any) or `host`, plus the provider's `path`. */
  url(host: string, path: string): string;
  /** The origin override, normalized, when one is set and valid. */
  origin: string | undefined;
  /** Missing credentials and an unparsable origin, phrased with the fix. */
  issues(): ConfigIssue[];
}

/** What a mobile or web app sends to `POST <basePath>/<provider>/token`. */
export interface NativeToken {
  /** An OpenID Connect ID token (Google Sign-In, Kakao with `openid`). */
  idToken?: string;
  /** An OAuth access token (the Kakao and Naver SDKs). */
  accessToken?: string;
  /**
   * The refresh token the SDK holds (Naver): the provider renews it only for the client it was
   * issued to (RFC 6749 §6), so renewing it with this app's credentials proves the grant is this
   * app's.
   */
  refreshToken?: string;
  /** The nonce the app put in its SDK request, when it did: the ID token must carry it. */
  nonce?: string;
  /**
   * The authorization code a native SDK hands the app beside its ID token (Sign in with Apple's
   * `authorizationCode`): exchanged for the tokens that later revocation needs.
   */
  authorizationCode?: string;
  /**
   * What the SDK told the app about the user that the token leaves out, as the app received it:
   * Sign in with Apple's first-authorization name (`{ name: { firstName, lastName } }`, or that
   * as JSON). Untrusted: only a display name is taken from it.
   */
  user?: unknown;
}
