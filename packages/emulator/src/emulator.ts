import type { Fault } from './faults';
import type { IdTokenOverride, IdTokenProvider } from './id-token-claims';
import type { IdTokenSignatureFault } from './keys';
import type { AppleNotificationType } from './providers/apple';
import type { KakaoReferrerType } from './providers/kakao/unlink';
import type {
  ConsentItem,
  EmulatorClient,
  EmulatorEndpoint,
  EmulatorLogger,
  ProviderName,
} from './types';
import type { SignInAgent, SignInOptions, SignInPage, SignInResult } from './sign-in';
import type { ProviderUsers } from './users';

/**
 * Options for {@link startEmulator}.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ port: 0, host: '127.0.0.1', clients: [], users: {} });
 * ```
 */
export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /**
   * Interface to bind; defaults to '127.0.0.1'. Any other than loopback (including '0.0.0.0' and
   * '::') logs a warning: the emulator is then reachable from the network.
   */
  host?: string;
  /**
   * Start even when `NODE_ENV` is `production`. Without it, {@link startEmulator} refuses: the
   * default clients' credentials are public and anyone can sign in as the test users.
   */
  allowInProduction?: boolean;
  /** Where start-up warnings go; defaults to `console.warn` (stderr). */
  logger?: EmulatorLogger;
  /** Replace the default test accounts of a provider. */
  users?: { [P in ProviderName]?: readonly ProviderUsers[P][] };
  /** Clients registered in addition to {@link DEFAULT_CLIENTS}. */
  clients?: EmulatorClient[];
  /**
   * Clock in epoch milliseconds used for every lifetime (codes, tokens, consent pages) and for
   * ID token `iat`/`exp`. Defaults to `Date.now`; pass a movable clock to test expiry.
   */
  now?: () => number;
}

/**
 * A running emulator.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator();
 * const res = await fetch(`${emulator.origin}/.well-known/openid-configuration`);
 * expect(emulator.count('google', 'discovery')).toBe(1);
 * await emulator.stop();
 * ```
 */
export interface Emulator {
  /**
   * The origin of the address the server really bound, for example 'http://127.0.0.1:43121' or
   * 'http://[::1]:43121', without a trailing slash: the port actually picked, the address
   * `localhost` resolved to, and for a wildcard bind ('0.0.0.0', '::') the loopback address of
   * that family (a wildcard is not an address a client can connect to). Also Google's `iss`.
   */
  readonly origin: string;
  /** Closes the server and every open (keep-alive) connection; pending delays are dropped. */
  stop(): Promise<void>;
  /** Adds a client, or replaces the one with the same provider and id. */
  registerClient(client: EmulatorClient): void;
  /** Requests received at an endpoint since start or the last {@link Emulator.resetCounts}, rejected ones included. */
  count(provider: ProviderName, endpoint: EmulatorEndpoint): number;
  resetCounts(): void;
  /** The provider's test accounts. */
  users<P extends ProviderName>(provider: P): readonly ProviderUsers[P][];
  /**
   * The subject the provider reports for an account to a client: Naver's per-app `id`, Kakao's
   * `id` digits, Google's `sub`. `userKey` is the account's `key` (Naver), `id` (Kakao) or `sub`
   * (Google). Throws a TypeError for an unknown account.
   */
  subject(provider: ProviderName, userKey: string, clientId: string): string;
  /**
   * Queues a fault for the next request to an endpoint of a provider; several calls queue
   * several, answered in order. Faulted requests are still counted. Throws a TypeError for an
   * endpoint the provider does not serve or a malformed fault.
   */
  failNext(provider: ProviderName, endpoint: EmulatorEndpoint, fault: Fault): void;
  /**
   * Test-only: changes the next ID token the provider issues (a token response to a client that
   * asked for `openid`), to test a client's ID token checks (OpenID Connect Core §3.1.3.7). Claims
   * given replace the emulator's (or are added), claims set to `undefined` are left out, and
   * `'omit'` sends the token response without `id_token`. The token is still signed with the
   * emulator's key. Several calls queue several, used in order. Throws a TypeError for Naver
   * (no ID tokens) or an override that is neither an object nor `'omit'`.
   *
   * @example
   * ```ts
   * emulator.nextIdTokenClaims('google', { iat: undefined });
   * emulator.nextIdTokenClaims('google', { aud: [clientId, 'another-client'], azp: undefined });
   * emulator.nextIdTokenClaims('kakao', 'omit');
   * ```
   */
  nextIdTokenClaims(provider: IdTokenProvider, override: IdTokenOverride): void;
  /**
   * Plays the provider's mobile or web SDK signing a user in to an app: Google Sign-In's ID token
   * for the app's own client id (`aud` and `azp`), or the Kakao SDK's ID token (with `openid`),
   * with `nonce` when the app sent one. `user` is the account's `sub` (Google) or `id` (Kakao).
   * `claims` (test-only) replaces claims; `undefined` removes one. `signature` (test-only) signs
   * the token wrongly, as {@link IdTokenSignatureFault} describes.
   *
   * @example
   * ```ts
   * const idToken = await emulator.appIdToken('google', {
   *   user: '104834925480000000001',
   *   clientId: 'my-android-client-id',
   * });
   * ```
   */
  appIdToken(
    provider: 'google' | 'kakao' | 'apple',
    options: {
      user: string;
      clientId: string;
      nonce?: string;
      claims?: Readonly<Record<string, unknown>>;
      signature?: IdTokenSignatureFault;
    },
  ): Promise<string>;
  /**
   * Plays the Kakao SDK's login in an app: an access token for `user` (the account's `id`) issued
   * to `clientId`'s app, which `/v1/user/access_token_info` then names by its `app_id`.
   *
   * @example
   * ```ts
   * const accessToken = emulator.appAccessToken('kakao', {
   *   user: '9007199254740993',
   *   clientId: DEFAULT_CLIENTS.kakao.clientId,
   * });
   * ```
   */
  appAccessToken(
    provider: 'kakao',
    options: { user: string; clientId: string; scopes?: readonly string[] },
  ): string;
  /**
   * Plays the Naver login SDK's login in an app (`NaverIdLoginSDK.getAccessToken()` and
   * `getRefreshToken()`): a grant of `user` (the account's `key`) to `clientId`'s app, with the
   * profile `items` agreed to (default all). Naver's refresh grant then renews it only for that
   * client, and the profile API answers the id of that app.
   *
   * @example
   * ```ts
   * const { accessToken, refreshToken } = emulator.appTokens('naver', {
   *   user: DEFAULT_USERS.naver[0].key,
   *   clientId: DEFAULT_CLIENTS.naver.clientId,
   * });
   * ```
   */
  appTokens(
    provider: 'naver',
    options: { user: string; clientId: string; items?: readonly ConsentItem[] },
  ): { accessToken: string; refreshToken: string };
  /**
   * Plays Sign in with Apple in a native app: the `authorizationCode` of
   * `ASAuthorizationAppleIDCredential`, issued to the app's bundle id `clientId` (no
   * redirect_uri), which the app's server exchanges with a client secret whose `sub` is that
   * bundle id. Pair it with {@link Emulator.appIdToken} for the identity token.
   *
   * @example
   * ```ts
   * const authorizationCode = emulator.appAuthorizationCode('apple', {
   *   user: DEFAULT_USERS.apple[0].sub,
   *   clientId: 'emulator-apple-app-id',
   * });
   * ```
   */
  appAuthorizationCode(
    provider: 'apple',
    options: { user: string; clientId: string; nonce?: string },
  ): string;
  /**
   * Plays the account the provider's own app is signed in to (`user`: a Kakao account's `id`, a
   * Naver account's `key`; `undefined`: none), for sign-in without a screen from inside it.
   * - Kakao, from KakaoTalk (kakaologin/utilize, "카카오톡에서 자동 로그인"): `prompt=none` from a
   *   `User-Agent` with `KAKAOTALK` gets a code at once for this account when it agreed before
   *   to every item asked; otherwise `consent_required`.
   * - Naver, from the NAVER app (devguide §5.1, "서비스 자동로그인"): `auth_type=autologin` from
   *   a `User-Agent` with `NAVER(inapp; search;` gets a code for this account when it signed in
   *   to the app before; otherwise `access_denied` with `user not logged in.`,
   *   `need user consent.` or `unsupported browser environment.`.
   *
   * @example
   * ```ts
   * emulator.inAppAccount('kakao', DEFAULT_USERS.kakao[0].id);
   * ```
   */
  inAppAccount(provider: 'kakao' | 'naver', user: string | undefined): void;
  /** Drops every queued fault and ID token override. */
  clearFaults(): void;
  /**
   * Plays a user unlinking the app at the provider: the user's grants to the client are revoked,
   * then the provider's notification is POSTed to the app's webhook URL `to`, in the provider's
   * wire format and proof: Kakao's unlink webhook with the client's `adminKey` and `appId`,
   * Naver's signed unlink notification keyed with the client secret, Apple's server-to-server
   * notification (a JWT signed with the key of its JWKS; for `email-disabled` and `email-enabled`
   * no grant ends). `user` is the account's `id` (Kakao), `key` (Naver) or `sub` (Apple);
   * `clientId` defaults to the provider's default client.
   * Resolves to the status the app answered. Throws a TypeError for an unknown account or client.
   *
   * @example
   * ```ts
   * const { status } = await emulator.sendUnlink('kakao', {
   *   to: `${appURL}/auth/kakao/webhook`,
   *   user: DEFAULT_USERS.kakao[0].id,
   * });
   * expect(status).toBe(200);
   * ```
   */
  sendUnlink(
    provider: 'kakao' | 'naver' | 'apple',
    options: {
      to: string;
      user: string;
      clientId?: string;
      referrerType?: KakaoReferrerType;
      /** Apple: the notification's type (default `consent-revoked`). */
      event?: AppleNotificationType;
    },
  ): Promise<{ status: number }>;
  /**
   * For an app's own tests: signs a supertest agent (`request.agent(app)`) in to the app as a
   * test user in one call, over the real browser flow: `GET <app>/<provider>`, the emulator's
   * authorize and consent (approved as `user`), then the app's callback, so the session cookie
   * ends up in the agent's jar. Resolves to the callback's answer (302 and its `location`).
   *
   * @example
   * ```ts
   * const agent = request.agent(app);
   * await emulator.signIn(agent, { provider: 'kakao', user: 'Seoyeon' });
   * await agent.get('/me').expect(200);
   * ```
   */
  signIn(agent: SignInAgent, options: SignInOptions): Promise<SignInResult>;
  /**
   * The same for a Playwright page: opens `appURL` + `<app>/<provider>`, picks `user` on the
   * emulator's real consent page, approves, and waits until the page is back on the app.
   *
   * @example
   * ```ts
   * await emulator.signInPage(page, { provider: 'google', user: 'alice', appURL: 'http://127.0.0.1:3000' });
   * ```
   */
  signInPage(page: SignInPage, options: SignInOptions & { appURL: string }): Promise<void>;
}
