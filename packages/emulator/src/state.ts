import { randomBytes } from 'node:crypto';
import type { ProviderName } from './types';

export type Clock = () => number;

/**
 * 256 bits from the CSPRNG: codes and tokens must not be guessable (RFC 6749 §10.10). The prefix
 * mimics a provider's token shape (Google codes contain '/', which clients must form-encode).
 */
export function randomToken(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** Entries that disappear after their lifetime. */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(private readonly now: Clock) {}

  set(key: string, value: V, ttlMs: number): void {
    this.sweep();
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Single-use read: the entry is gone afterwards, whatever the caller does with it. */
  take(key: string): V | undefined {
    const value = this.get(key);
    this.entries.delete(key);
    return value;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}

/** One user's consent to one client: every token derived from it dies with it. */
export interface Grant {
  readonly provider: ProviderName;
  readonly clientId: string;
  readonly sub: string;
  readonly scopes: readonly string[];
  revoked: boolean;
}

export interface AuthorizationCode {
  readonly provider: ProviderName;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly sub: string;
  readonly scopes: readonly string[];
  readonly offline: boolean;
  /** Google: the request had `prompt=consent`, so an offline grant gets a refresh token again. */
  readonly promptConsent?: boolean;
  readonly nonce?: string;
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: 'S256' | 'plain';
  /** Kept after first use so a replay can be detected and its tokens revoked (RFC 6749 §4.1.2). */
  used: boolean;
  grant?: Grant;
}

export interface IssuedToken {
  readonly kind: 'access' | 'refresh';
  readonly grant: Grant;
  readonly scopes: readonly string[];
  readonly expiresAt?: number;
}

export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly now: Clock) {}

  issue(token: Omit<IssuedToken, 'expiresAt'>, prefix: string, ttlMs?: number): string {
    const value = randomToken(prefix);
    const expiresAt = ttlMs === undefined ? undefined : this.now() + ttlMs;
    this.tokens.set(value, { ...token, expiresAt });
    return value;
  }

  /** The token if it exists, has not expired and its grant is still alive. */
  find(value: string): IssuedToken | undefined {
    const token = this.tokens.get(value);
    if (!token || token.grant.revoked) return undefined;
    if (token.expiresAt !== undefined && token.expiresAt <= this.now()) {
      this.tokens.delete(value);
      return undefined;
    }
    return token;
  }

  /** Kills one token; its grant, and the grant's other tokens, live on. */
  delete(value: string): void {
    this.tokens.delete(value);
  }

  /** Revokes every grant the predicate selects, with all of its tokens. */
  revokeGrants(select: (grant: Grant) => boolean): void {
    for (const token of this.tokens.values()) if (select(token.grant)) token.grant.revoked = true;
  }
}
