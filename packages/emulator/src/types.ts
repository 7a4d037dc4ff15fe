import type { Fault } from './faults';
import type { ProviderUsers } from './users';

export type { GoogleUser, KakaoUser, NaverUser, ProviderUsers } from './users';

/**
 * Providers the emulator impersonates, all on one server and one origin.
 *
 * @example
 * ```ts
 * const provider: ProviderName = 'kakao';
 * expect(emulator.count(provider, 'token')).toBe(0);
 * ```
 */
export type ProviderName = 'google' | 'naver' | 'kakao';

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
  'discovery' | 'authorize' | 'consent' | 'token' | 'userinfo' | 'jwks' | 'revoke' | 'logout';

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
  /** Drops every queued fault. */
  clearFaults(): void;
}
