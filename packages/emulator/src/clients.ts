import { createHash, timingSafeEqual } from 'node:crypto';
import type { EmulatorClient, ProviderName } from './types';

/** An absolute http(s) URI without a fragment (RFC 6749 §3.1.2). */
export function isRedirectUri(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !value.includes('#');
  } catch {
    return false;
  }
}

// Hashing first gives equal-length inputs, so timingSafeEqual hides where a guess diverges.
export function safeEqual(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export class ClientRegistry {
  private readonly clients = new Map<string, Readonly<EmulatorClient>>();

  /**
   * `providers`: the emulated providers, the only ones a client may name, with each one's own
   * check of a client's credentials (default: a non-empty `clientSecret`).
   */
  constructor(
    private readonly providers: ReadonlyMap<
      ProviderName,
      ((client: EmulatorClient) => void) | undefined
    >,
  ) {}

  /** Throws a TypeError naming the bad field (never its value: it may be a secret). */
  register(client: EmulatorClient): void {
    if (!this.providers.has(client.provider)) {
      throw new TypeError('client.provider is not supported');
    }
    if (typeof client.clientId !== 'string' || client.clientId === '') {
      throw new TypeError('client.clientId must be a non-empty string');
    }
    const check = this.providers.get(client.provider) ?? requireSecret;
    check(client);
    if (client.redirectUris && !client.redirectUris.every(isRedirectUri)) {
      throw new TypeError('client.redirectUris must hold absolute http(s) URIs without fragments');
    }
    const copy = {
      ...client,
      redirectUris: client.redirectUris && [...client.redirectUris],
      appClientIds: client.appClientIds && [...client.appClientIds],
    };
    this.clients.set(`${client.provider}:${client.clientId}`, Object.freeze(copy));
  }

  find(provider: ProviderName, clientId: string): Readonly<EmulatorClient> | undefined {
    return this.clients.get(`${provider}:${clientId}`);
  }

  /** Every client of one provider. */
  list(provider: ProviderName): Readonly<EmulatorClient>[] {
    return [...this.clients.values()].filter((client) => client.provider === provider);
  }

  /** Exact string comparison, no prefix or pattern matching (RFC 9700 §2.1, §4.1.3). */
  allowsRedirect(client: Readonly<EmulatorClient>, uri: string): boolean {
    if (!isRedirectUri(uri)) return false;
    return client.redirectUris === undefined || client.redirectUris.includes(uri);
  }
}

function requireSecret(client: EmulatorClient): void {
  if (typeof client.clientSecret !== 'string' || client.clientSecret === '') {
    throw new TypeError('client.clientSecret must be a non-empty string');
  }
}
