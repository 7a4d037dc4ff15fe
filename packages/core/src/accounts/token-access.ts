import type { AccountStore, StoredIdentity } from './types';
import { SocialAuthError, asSocialAuthError } from '../errors';
import type { RevokeOutcome, SocialAuthHooks } from './hooks';
import { identityKey } from './rules';
import { mergeScopes, scopeList } from './scopes';
import type { ProviderPlugin, TokenSet } from '../contract';
import { localRefreshLocks, type RefreshLocks } from '../tokens/refresh-lock';
import type { TokenVault } from '../tokens/vault';
import { providerFailed, type ProviderBreakers } from '../net/breaker';

/** Refresh this long before expiry, so a token never dies in flight. */
const REFRESH_MARGIN_MS = 60_000;
/** How often an instance waiting for another's refresh reads the stored tokens again. */
const LOCK_POLL_MS = 50;

/** Provider tokens on behalf of signed-in users: refresh, disconnect with revoke. */
export class TokenAccess {
  /**
   * One refresh per identity at a time in this process; concurrent callers share it. Across
   * instances, `locks` (Redis) lets one of them refresh.
   */
  private readonly refreshing = new Map<string, Promise<TokenSet>>();

  constructor(
    private readonly store: AccountStore,
    private readonly vault: TokenVault,
    private readonly providers: ReadonlyMap<string, ProviderPlugin>,
    private readonly hooks: SocialAuthHooks,
    private readonly locks: RefreshLocks = localRefreshLocks,
    private readonly breakers?: ProviderBreakers,
  ) {}

  /** The user's identity at `provider` (the one with `subject`, or the only one there). */
  async identityOf(userId: string, provider: string, subject?: string): Promise<StoredIdentity> {
    const identities = (await this.store.listIdentities(userId)).filter(
      (i) => i.provider === provider && (subject === undefined || i.subject === subject),
    );
    if (identities.length === 0) {
      const which = subject === undefined ? '' : ' with this subject';
      throw new SocialAuthError('unknown_provider', `No ${provider} identity${which} is connected`);
    }
    if (identities.length > 1) {
      throw new SocialAuthError(
        'invalid_request',
        `Several ${provider} identities are connected: pass { subject } to pick one`,
      );
    }
    return identities[0]!;
  }

  /**
   * The scopes the identity was granted: its ledger (`StoredIdentity.scopes`), or, for one
   * recorded before the ledger existed, its stored tokens' `scope`; empty when neither says.
   */
  grantedScopes(identity: StoredIdentity): string[] {
    if (identity.scopes !== undefined) return [...identity.scopes];
    try {
      return mergeScopes([], { grant: scopeList(this.open(identity).scope) });
    } catch {
      return [];
    }
  }

  /**
   * Withdraws the scopes a resource server said are missing from the identity's grant (RFC
   * 6750 §3.1 `insufficient_scope` with its `scope`, or the plugin's reading of its own
   * refusal). Never throws: the app's call gets the provider's answer either way.
   */
  async forgetMissing(
    identity: StoredIdentity,
    plugin: ProviderPlugin | undefined,
    response: Response,
  ): Promise<void> {
    if (response.status !== 401 && response.status !== 403) return;
    try {
      const missing = new Set(insufficientScope(response.headers.get('www-authenticate')));
      if (plugin?.missingScopes) {
        const body: unknown = await response
          .clone()
          .json()
          .catch(() => undefined);
        for (const s of plugin.missingScopes({ status: response.status, body })) missing.add(s);
      }
      if (missing.size === 0) return;
      await this.store.updateScopes?.(identity.provider, identity.subject, {
        revoke: [...missing],
      });
    } catch {
      // The ledger stays as it was: the next sign-in or refusal corrects it.
    }
  }

  private open(identity: StoredIdentity): TokenSet {
    if (!identity.tokens || identity.needsReauth) {
      throw new SocialAuthError('reauth_required', `Sign in with ${identity.provider} again`);
    }
    return this.vault.open(identity.tokens, identityKey(identity.provider, identity.subject));
  }

  /**
   * A valid access token for the user's identity at `provider` (the one with `subject`, when
   * given; else the only one there), refreshed when due.
   */
  async accessToken(userId: string, provider: string, subject?: string): Promise<string> {
    const identity = await this.identityOf(userId, provider, subject);
    const tokens = this.open(identity);
    if (tokens.expiresAt === undefined || tokens.expiresAt - Date.now() > REFRESH_MARGIN_MS) {
      return tokens.accessToken;
    }
    return (await this.refresh(identity, tokens)).accessToken;
  }

  private refresh(identity: StoredIdentity, tokens: TokenSet): Promise<TokenSet> {
    const key = identityKey(identity.provider, identity.subject);
    let pending = this.refreshing.get(key);
    if (!pending) {
      pending = this.doRefresh(identity, tokens).finally(() => this.refreshing.delete(key));
      this.refreshing.set(key, pending);
    }
    return pending;
  }

  /**
   * Refreshes once across instances: the instance holding the lock asks the provider, the others
   * wait for the tokens it stores. Under the lock the stored tokens are read again first, since
   * another instance may have refreshed (and the provider rotated the refresh token) meanwhile.
   */
  private async doRefresh(identity: StoredIdentity, tokens: TokenSet): Promise<TokenSet> {
    const key = identityKey(identity.provider, identity.subject);
    // Two lock lifetimes: a holder that crashed loses its lock after one, and a waiter then
    // takes it and refreshes itself rather than failing while nobody refreshes.
    const deadline = Date.now() + 2 * this.locks.ttlMs;
    for (;;) {
      const release = await this.locks.acquire(key);
      if (release) {
        try {
          const stored = await this.newerTokens(identity);
          return stored ?? (await this.refreshNow(identity, tokens));
        } finally {
          await release();
        }
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      const stored = await this.newerTokens(identity);
      if (stored) return stored;
      if (Date.now() > deadline) {
        throw new SocialAuthError('refresh_failed', 'Another instance is still refreshing');
      }
    }
  }

  /** The identity's stored tokens when they changed since `identity` was read, else undefined. */
  private async newerTokens(identity: StoredIdentity): Promise<TokenSet | undefined> {
    const now = await this.store.findIdentity(identity.provider, identity.subject);
    if (!now) throw new SocialAuthError('unknown_provider', 'The identity was disconnected');
    if (now.tokens === identity.tokens && !now.needsReauth) return undefined;
    return this.open(now); // reauth_required when the other instance's refresh was refused
  }

  private async refreshNow(identity: StoredIdentity, tokens: TokenSet): Promise<TokenSet> {
    const plugin = this.providers.get(identity.provider);
    const { provider, subject } = identity;
    if (!plugin?.refresh || !tokens.refreshToken) {
      await this.store.saveTokens(provider, subject, identity.tokens, true);
      throw new SocialAuthError(
        'reauth_required',
        `The ${provider} token expired and cannot be refreshed`,
      );
    }
    // A provider known to be down answers at once, not after a timeout.
    this.breakers?.check(provider, plugin.name);
    try {
      const fresh = await plugin.refresh(tokens);
      this.breakers?.record(provider, true);
      await this.store.saveTokens(
        provider,
        subject,
        this.vault.seal(fresh, identityKey(provider, subject)),
        false,
      );
      return fresh;
    } catch (err) {
      this.breakers?.record(provider, !providerFailed(err));
      if (err instanceof SocialAuthError && err.code === 'reauth_required') {
        await this.store.saveTokens(provider, subject, identity.tokens, true);
      }
      throw err;
    }
  }

  /**
   * Unlinks the identity (refusing the last one), then revokes at the provider. A failed revoke
   * does not undo the unlink: it is reported to `onError`.
   */
  async disconnect(userId: string, provider: string, subject?: string): Promise<StoredIdentity> {
    const identity = await this.identityOf(userId, provider, subject);
    const removed = await this.store.unlink(userId, identity.provider, identity.subject);
    if (!removed)
      throw new SocialAuthError('unknown_provider', `No ${provider} identity is connected`);
    const user = await this.store.getUser(userId);
    if (user) await this.hooks.onUnlink?.({ user, identity: removed });
    try {
      await this.endGrant(identity);
    } catch (err) {
      const error =
        err instanceof SocialAuthError
          ? err
          : new SocialAuthError('revoke_failed', undefined, { cause: err });
      await this.report(error, { provider, userId });
    }
    return removed;
  }

  /** Revokes the identity's grant at its provider, refreshing an expired token first. */
  private async endGrant(identity: StoredIdentity): Promise<void> {
    const plugin = this.providers.get(identity.provider);
    let tokens = this.open(identity);
    if (
      tokens.expiresAt !== undefined &&
      tokens.expiresAt <= Date.now() &&
      plugin?.refresh &&
      tokens.refreshToken
    ) {
      tokens = await plugin.refresh(tokens);
    }
    await plugin?.revoke?.(tokens);
  }

  /**
   * Ends the identity's grant at its provider for an account deletion, and says how
   * ({@link RevokeOutcome}). Once revoked, the identity's tokens are dropped (so a retried
   * deletion does not revoke again); a refusal is reported to `onError`. Never throws for the
   * provider's sake: `unreachable` is the caller's to weigh.
   */
  async revokeForDeletion(identity: StoredIdentity): Promise<RevokeOutcome> {
    const plugin = this.providers.get(identity.provider);
    if (!identity.tokens || identity.needsReauth || !plugin?.revoke) return 'nothing_to_revoke';
    try {
      await this.endGrant(identity);
    } catch (err) {
      const error = asSocialAuthError(err, 'revoke_failed');
      // Access already ended (a refresh refused, tokens sealed with a retired secret): the
      // provider holds no grant we could still end.
      if (error.code === 'reauth_required') return 'nothing_to_revoke';
      await this.report(error, { provider: identity.provider, userId: identity.userId });
      return error.reason === 'provider_unreachable' ? 'unreachable' : 'refused';
    }
    await this.store.saveTokens(identity.provider, identity.subject, undefined, true);
    return 'revoked';
  }

  /**
   * Calls `onError` with a copy of the error without its `cause` (nothing a provider sent reaches
   * the app's logs through it), never letting the hook's own failure escape.
   */
  async report(
    error: SocialAuthError,
    context: { provider?: string; userId?: string },
  ): Promise<void> {
    try {
      const copy = new SocialAuthError(error.code, error.message, { reason: error.reason });
      await this.hooks.onError?.(copy, context);
    } catch {
      // the hook's failure must not turn a handled failure into an unhandled one
    }
  }
}

/**
 * The `scope` of an RFC 6750 §3.1 `insufficient_scope` challenge (`Bearer error=
 * "insufficient_scope", scope="a b"`): the scopes the request needed. Empty for anything else.
 */
export function insufficientScope(header: string | null): string[] {
  if (!header || !/error="?insufficient_scope"?/i.test(header)) return [];
  const match = /scope="([^"]*)"/i.exec(header);
  return match ? scopeList(match[1]) : [];
}
