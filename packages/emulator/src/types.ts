/**
 * Providers the emulator can impersonate. Naver and Kakao will join this union.
 *
 * @example
 * ```ts
 * const provider: ProviderName = 'google';
 * ```
 */
export type ProviderName = 'google';

/**
 * A Google test account, shaped like Google's userinfo response (and the matching ID token claims).
 *
 * @example
 * ```ts
 * const ada: GoogleUser = { sub: '110000000000000000042', email: 'ada@example.com', email_verified: true, name: 'Ada' };
 * const emulator = await startEmulator({ users: { google: [ada] } });
 * ```
 */
export interface GoogleUser {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
  /** Workspace domain; Google sends it only for Workspace accounts. */
  hd?: string;
  locale?: string;
}

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
  clientSecret: string;
  /** Exact redirect URIs accepted. Absent: any absolute http(s) URI without a fragment. */
  redirectUris?: string[];
  /** Shown on the consent page; defaults to the client id. */
  name?: string;
}

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
  /** Interface to bind; defaults to '127.0.0.1'. */
  host?: string;
  /** Replace the default test accounts. */
  users?: { google?: GoogleUser[] };
  /** Clients registered in addition to {@link DEFAULT_CLIENTS}. */
  clients?: EmulatorClient[];
  /**
   * Clock in epoch milliseconds used for every lifetime (codes, tokens, consent pages) and for
   * ID token `iat`/`exp`. Defaults to `Date.now`; pass a movable clock to test expiry.
   */
  now?: () => number;
}

/**
 * The endpoints whose requests {@link Emulator.count} reports.
 *
 * @example
 * ```ts
 * const endpoint: EmulatorEndpoint = 'token';
 * expect(emulator.count('google', endpoint)).toBe(0);
 * ```
 */
export type EmulatorEndpoint =
  'discovery' | 'authorize' | 'consent' | 'token' | 'userinfo' | 'jwks' | 'revoke';

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
  /** For example 'http://127.0.0.1:43121', without a trailing slash. */
  readonly origin: string;
  /** Closes the server and every open (keep-alive) connection. */
  stop(): Promise<void>;
  /** Adds a client, or replaces the one with the same provider and id. */
  registerClient(client: EmulatorClient): void;
  /** Requests received at an endpoint since start or the last {@link Emulator.resetCounts}, rejected ones included. */
  count(provider: ProviderName, endpoint: EmulatorEndpoint): number;
  resetCounts(): void;
  users(provider: 'google'): readonly GoogleUser[];
}
