import { randomBytes } from 'node:crypto';
import type { AccountStore, NewIdentity, StoredIdentity, StoredUser } from './types';
import { SocialAuthError } from '../errors';
import type { SocialAuthHooks } from './hooks';
import type { SocialProfile, TokenSet } from '../contract';
import type { TokenVault } from '../tokens/vault';
import { providerData } from './provider-data';
import type { PendingLink } from '../types';

export type { PendingLink } from '../types';

export type SignInOutcome =
  | { kind: 'user'; user: StoredUser; identity: StoredIdentity }
  | { kind: 'pending'; link: PendingLink };

/** The vault's associated data for one identity. */
export const identityKey = (provider: string, subject: string) => `${provider}\u0000${subject}`;

/** The identity without its provider profile: not carried in the session by a pending link. */
function withoutProfile(identity: NewIdentity): Omit<NewIdentity, 'profile'> {
  const { profile: _profile, ...rest } = identity;
  return rest;
}

/** The user, unless disabled (an admin's `disable`, or a deletion under way). */
function enabled(user: StoredUser): StoredUser {
  if (user.disabledAt !== undefined) throw new SocialAuthError('account_disabled');
  return user;
}

/** The account rules (allauth's): who a sign-in is, when identities join users, when not. */
export class AccountRules {
  constructor(
    private readonly store: AccountStore,
    private readonly vault: TokenVault,
    private readonly options: {
      signup: boolean;
      trustsEmail(provider: string): boolean;
      hooks: SocialAuthHooks;
    },
  ) {}

  private identity(
    profile: SocialProfile,
    tokens: TokenSet | undefined,
    scopes: readonly string[] = [],
  ): NewIdentity {
    return {
      provider: profile.provider,
      subject: profile.id,
      email: profile.email,
      emailVerified: profile.emailVerified,
      // An ID-token sign-in from an app brings no tokens: the stored ones are then kept.
      tokens: tokens && this.vault.seal(tokens, identityKey(profile.provider, profile.id)),
      profile: providerData(profile.raw),
      ...(scopes.length > 0 && { scopes: [...scopes] }),
    };
  }

  /** A known identity's new grant joins its recorded scopes; a narrower one removes none. */
  private async grant(identity: StoredIdentity, scopes: readonly string[]): Promise<void> {
    if (scopes.length === 0 || scopes.every((s) => identity.scopes?.includes(s))) return;
    await this.store.updateScopes?.(identity.provider, identity.subject, { grant: scopes });
  }

  /**
   * The tokens to store for a known identity signing in again. A provider may answer a repeated
   * consent without a refresh token (Google sends one on the first consent only, or with
   * `prompt=consent`), so the stored refresh token is kept rather than lost.
   */
  private keepRefresh(known: StoredIdentity | undefined, tokens: TokenSet | undefined) {
    if (!tokens || tokens.refreshToken || !known?.tokens) return tokens;
    try {
      const stored = this.vault.open(known.tokens, identityKey(known.provider, known.subject));
      return stored.refreshToken ? { ...tokens, refreshToken: stored.refreshToken } : tokens;
    } catch {
      return tokens; // sealed with a retired secret: there is nothing to keep
    }
  }

  private async owner(userId: string): Promise<StoredUser> {
    const user = await this.store.getUser(userId);
    if (!user) throw new SocialAuthError('login_expired', 'The user of this identity is gone');
    return enabled(user);
  }

  /**
   * A sign-in (not connect): the known user, a linked or new user, or a pending link. `scopes`
   * are what this sign-in was granted: they join the identity's recorded ones.
   */
  async signIn(
    profile: SocialProfile,
    tokens?: TokenSet,
    scopes: readonly string[] = [],
  ): Promise<SignInOutcome> {
    const { hooks } = this.options;
    const known = await this.store.findIdentity(profile.provider, profile.id);
    const fresh = this.identity(profile, this.keepRefresh(known, tokens), scopes);
    if (known) {
      // Read before anything is written: a disabled user's sign-in changes nothing.
      let user = await this.owner(known.userId);
      if (fresh.tokens)
        await this.store.saveTokens(known.provider, known.subject, fresh.tokens, false);
      await this.grant(known, scopes);
      // A returning user usually brings what is stored already: written only when it changed.
      if (fresh.profile !== known.profile) {
        await this.store.saveProfile?.(known.provider, known.subject, fresh.profile);
      }
      const name = profile.name ?? profile.nickname;
      const { avatarUrl } = profile;
      const renamed = name !== undefined && name !== user.name;
      if (renamed || (avatarUrl !== undefined && avatarUrl !== user.avatarUrl)) {
        await this.store.updateUser(known.userId, { name, avatarUrl });
        user = await this.owner(known.userId);
      }
      await hooks.onLogin?.({ user, identity: known, profile });
      return { kind: 'user', user, identity: known };
    }

    // An email joins an existing user only when the provider verified it and is trusted to.
    const trusted =
      profile.email !== undefined &&
      profile.emailVerified &&
      this.options.trustsEmail(profile.provider);
    const holder = profile.email
      ? await this.store.findUserByVerifiedEmail(profile.email)
      : undefined;
    if (holder) enabled(holder);
    if (holder && trusted) {
      const identity = await this.store.link(holder.id, fresh);
      await hooks.onLink?.({ user: holder, identity, profile });
      await hooks.onLogin?.({ user: holder, identity, profile });
      return { kind: 'user', user: holder, identity };
    }
    if (holder) {
      // No dead end and no takeover: the user proves they own the account first.
      return {
        kind: 'pending',
        link: {
          id: randomBytes(16).toString('base64url'),
          userId: holder.id,
          name: profile.name ?? profile.nickname,
          ...withoutProfile(fresh),
          tokens: fresh.tokens,
          createdAt: Date.now(),
        },
      };
    }

    if (
      !this.options.signup ||
      (hooks.isSignupAllowed && !(await hooks.isSignupAllowed(profile)))
    ) {
      throw new SocialAuthError('signup_closed');
    }
    const {
      user: owner,
      identity,
      created,
    } = await this.store.createUser(
      {
        name: profile.name ?? profile.nickname,
        avatarUrl: profile.avatarUrl,
        email: trusted ? profile.email : undefined,
      },
      fresh,
    );
    const user = created ? owner : enabled(owner);
    if (created) await hooks.onSignup?.({ user, identity, profile });
    else {
      if (fresh.tokens)
        await this.store.saveTokens(identity.provider, identity.subject, fresh.tokens, false);
      await this.store.saveProfile?.(identity.provider, identity.subject, fresh.profile);
      await this.grant(identity, scopes);
    }
    await hooks.onLogin?.({ user, identity, profile });
    return { kind: 'user', user, identity };
  }

  /** A signed-in user connects another identity: theirs already, new, or someone else's. */
  async connect(
    userId: string,
    profile: SocialProfile,
    tokens: TokenSet,
    scopes: readonly string[] = [],
  ): Promise<StoredIdentity> {
    const known = await this.store.findIdentity(profile.provider, profile.id);
    if (known && known.userId !== userId) throw new SocialAuthError('identity_in_use');
    const fresh = this.identity(profile, this.keepRefresh(known, tokens), scopes);
    if (known) {
      await this.store.saveTokens(known.provider, known.subject, fresh.tokens, false);
      await this.store.saveProfile?.(known.provider, known.subject, fresh.profile);
      await this.grant(known, scopes);
      return known;
    }
    const identity = await this.store.link(userId, fresh);
    await this.options.hooks.onLink?.({ user: await this.owner(userId), identity, profile });
    return identity;
  }

  /**
   * A signed-in user came back from the provider (more consent, or a fresh sign-in): it must be
   * one of their own identities there, or nothing is written (`wrong_identity`). Its tokens,
   * provider data and new scopes are kept, as at any sign-in.
   */
  async returning(
    userId: string,
    profile: SocialProfile,
    tokens: TokenSet | undefined,
    scopes: readonly string[],
  ): Promise<StoredIdentity> {
    const known = await this.store.findIdentity(profile.provider, profile.id);
    if (known?.userId !== userId) {
      throw new SocialAuthError('wrong_identity', 'The provider answered for another account');
    }
    await this.owner(userId);
    const fresh = this.identity(profile, this.keepRefresh(known, tokens), scopes);
    if (fresh.tokens)
      await this.store.saveTokens(known.provider, known.subject, fresh.tokens, false);
    if (fresh.profile !== known.profile) {
      await this.store.saveProfile?.(known.provider, known.subject, fresh.profile);
    }
    await this.grant(known, scopes);
    return known;
  }

  /** Confirms a pending link for the user who proved they own the matching account. */
  async confirm(userId: string, link: PendingLink): Promise<StoredIdentity> {
    if (link.userId !== userId)
      throw new SocialAuthError('identity_in_use', 'Pending link is for another user');
    const { id: _id, userId: _owner, name: _name, createdAt: _at, ...identity } = link;
    const linked = await this.store.link(userId, identity);
    const user = await this.owner(userId);
    const profile: SocialProfile = {
      provider: link.provider,
      id: link.subject,
      email: link.email,
      emailVerified: link.emailVerified,
      raw: undefined,
    };
    await this.options.hooks.onLink?.({ user, identity: linked, profile });
    return linked;
  }
}
