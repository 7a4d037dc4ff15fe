import type { Router } from 'express';
import type { ClientRegistry } from './clients';
import type { ProviderConsentTexts } from './consent-text';
import type { ConsentFlow } from './consent';
import type { IdTokenOverrides } from './id-token-claims';
import type { SigningKey } from './keys';
import type { Clock } from './state';
import type { ConsentItem, EmulatorClient, EmulatorEndpoint, ProviderName } from './types';
import type { Notification } from './unlink-notify';

/**
 * The contract between the emulator's core (server.ts, users.ts, defaults.ts, consent.ts, cli.ts)
 * and one emulated provider in `providers/<name>/`. Types only: providers and the core both
 * import it, it imports neither. A new provider is one folder exporting an
 * {@link EmulatorProvider} and one line in `providers/index.ts`.
 */

/** A provider's default client: public test credentials, plus its webhook data if any. */
export interface DefaultClient {
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly adminKey?: string;
  readonly appId?: string;
  readonly teamId?: string;
  readonly keyId?: string;
  /** Apple: the `.p8` key's text (PKCS#8 PEM), public like every default credential here. */
  readonly privateKey?: string;
  readonly publicKey?: string;
  readonly appClientIds?: readonly string[];
}

/** The services every provider of a running emulator shares. */
export interface ProviderContext<U> {
  readonly origin: string;
  readonly now: Clock;
  readonly clients: ClientRegistry;
  readonly consent: ConsentFlow;
  readonly key: SigningKey;
  readonly idTokenOverrides: IdTokenOverrides;
  /** This provider's accounts, validated and frozen. */
  readonly users: readonly U[];
}

/** A provider's part of one running emulator: its routes and its optional SDK and unlink plays. */
export interface ProviderInstance {
  readonly router: Router;
  /** The SDK's ID token for `user` (unsigned faults aside); see `Emulator.appIdToken`. */
  appIdToken?(options: {
    user: string;
    clientId: string;
    nonce?: string;
    claims?: Readonly<Record<string, unknown>>;
  }): Promise<string>;
  /** See `Emulator.inAppAccount`. */
  inAppAccount?(user: string | undefined): void;
  /** See `Emulator.appAccessToken`. */
  appAccessToken?(options: { user: string; clientId: string; scopes?: readonly string[] }): string;
  /** See `Emulator.appTokens`. */
  appTokens?(options: { user: string; clientId: string; items?: readonly ConsentItem[] }): {
    accessToken: string;
    refreshToken: string;
  };
  /**
   * Plays the user unlinking the app at the provider: revokes `user`'s grants to the client and
   * returns the notification to send (`subject` is what the provider calls the user).
   */
  unlink?(
    client: Readonly<EmulatorClient>,
    user: string,
    subject: string,
    options: { referrerType?: string; event?: string },
  ): Notification | Promise<Notification>;
  /** See `Emulator.appAuthorizationCode`. */
  appAuthorizationCode?(options: { user: string; clientId: string; nonce?: string }): string;
}

/**
 * One emulated provider, self-contained: its name, paths, default client and users, consent
 * texts, and a factory for its routes and behaviour on a running emulator.
 */
export interface EmulatorProvider<
  N extends ProviderName = ProviderName,
  U extends object = object,
> {
  readonly name: N;
  /** Path of each endpoint it serves; paths never collide across providers. */
  readonly paths: Readonly<Partial<Record<EmulatorEndpoint, string>>>;
  readonly defaultClient: DefaultClient;
  readonly defaultUsers: readonly U[];
  /** The account field that keys a test user ('sub', 'key', 'id'). */
  readonly userKeyField: string;
  userKey(user: U): unknown;
  /**
   * Throws a TypeError naming a bad field of a client to register (never its value). Absent: a
   * non-empty `clientSecret` is required.
   */
  checkClient?(client: EmulatorClient): void;
  /** Throws a TypeError naming a bad field of an account given in `EmulatorOptions.users`. */
  checkUser?(user: U): void;
  /** What the provider reports as the user's id to a client; defaults to the user key. */
  subject?(userKey: string, clientId: string): string;
  /** Whether its token endpoint issues ID tokens (then `nextIdTokenClaims` accepts it). */
  readonly issuesIdTokens: boolean;
  readonly consentTexts: ProviderConsentTexts;
  /** The CLI's start-up banner line naming its entry point. */
  readonly banner: { readonly label: string; readonly path: string };
  create(context: ProviderContext<U>): ProviderInstance;
}
