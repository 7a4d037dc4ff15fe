/**
 * The emulator's base types: a leaf module (it imports nothing), so every other module, the
 * provider folders included, can name them without an import cycle.
 */

/**
 * Providers the emulator impersonates, all on one server and one origin.
 *
 * @example
 * ```ts
 * const provider: ProviderName = 'kakao';
 * expect(emulator.count(provider, 'token')).toBe(0);
 * ```
 */
export type ProviderName = 'google' | 'naver' | 'kakao' | 'apple' | 'github' | 'microsoft' | 'line';

/**
 * An OAuth client registered with the emulator.
 *
 * @example
 * ```ts
 * emulator.registerClient({
 *   provider: 'google',
 *   clientId: 'my-app',
 *   clientSecret: 'my-secret',
 *   redirectUris: ['http://localhost:3000/auth/google/callback'],
 * });
 * ```
 */
export interface EmulatorClient {
  provider: ProviderName;
  clientId: string;
  /**
   * The client secret. Required for every provider but Apple, whose clients authenticate with an
   * ES256 JWT that `publicKey` verifies.
   */
  clientSecret?: string;
  /** Exact redirect URIs accepted. Absent: any absolute http(s) URI without a fragment. */
  redirectUris?: string[];
  /** Shown on the consent page; defaults to the client id. */
  name?: string;
  /**
   * Google only: the one way the client may authenticate at the token endpoint (RFC 6749
   * §2.3.1), as an OpenID provider holds a client to its registered `token_endpoint_auth_method`;
   * the other is `invalid_client`. Absent: either.
   */
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  /** Kakao only: the app's primary admin key, sent in its unlink webhook (`KakaoAK <key>`). */
  adminKey?: string;
  /** Kakao only: the app's ID, sent as `app_id` in its unlink webhook. */
  appId?: string;
  /** Apple only: the team id, the client secret JWT's `iss`. */
  teamId?: string;
  /** Apple only: the key id, the client secret JWT's `kid`. */
  keyId?: string;
  /** Apple only: the public half of the `.p8` key (SPKI PEM) that signs the client secret JWT. */
  publicKey?: string;
  /**
   * Apple only: the bundle ids of the team's apps (a native sign-in's `aud`, and the `aud` of
   * its server-to-server notifications), accepted as client ids at the token and revoke
   * endpoints with this client's key.
   */
  appClientIds?: readonly string[];
}

/**
 * Receives the emulator's warnings (for now, one: bound to an address the network can reach).
 *
 * @example
 * ```ts
 * const warnings: string[] = [];
 * await startEmulator({ host: '0.0.0.0', logger: { warn: (m) => warnings.push(m) } });
 * ```
 */
export interface EmulatorLogger {
  warn(message: string): void;
}

/**
 * The endpoints whose requests {@link Emulator.count} reports, named alike for every provider:
 * Naver's `/v1/nid/me` and Kakao's `/v2/user/me` are `userinfo`, Naver's `/oauth2.0/revoke` and
 * Kakao's `/v1/user/unlink` are `revoke`, Kakao's `/v1/user/logout` is `logout`.
 *
 * @example
 * ```ts
 * const endpoint: EmulatorEndpoint = 'token';
 * expect(emulator.count('google', endpoint)).toBe(0);
 * ```
 */
export type EmulatorEndpoint =
  | 'discovery'
  | 'authorize'
  | 'consent'
  | 'token'
  | 'userinfo'
  | 'tokeninfo'
  | 'jwks'
  | 'revoke'
  | 'logout';

/**
 * The optional items a user can decline on Naver's and Kakao's consent screens (Naver's
 * "선택 제공 항목", Kakao's "선택 동의"); the names are the same for both providers. Kakao
 * offers `nickname`, `profile_image` and `email`; Naver offers all of them.
 *
 * @example
 * ```ts
 * const decline: ConsentItem[] = ['email', 'profile_image'];
 * const callback = await approveConsent(authorizeUrl, { user: 'minji', decline });
 * ```
 */
export type ConsentItem =
  | 'nickname'
  | 'name'
  | 'email'
  | 'gender'
  | 'age'
  | 'birthday'
  | 'birthyear'
  | 'profile_image'
  | 'mobile'
  | 'shipping_address';
