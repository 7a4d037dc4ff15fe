import type { Coordination } from '../coordination/types';
import type { SessionUser, SocialAuthUser } from '../types';
import { snapshot } from './snapshot';
import type { AccountStore } from './types';

/** How long a user read from the account store serves `req.user` before it is read again. */
export const USER_CACHE_TTL_MS = 60_000;
/** Users kept per process; the least recently stored go first. */
const MAX_USERS = 10_000;

/**
 * `req.user` without a store read per request: the session keeps only who is signed in
 * ({@link SessionUser}), this process keeps each user's picture (name, email, identities) for
 * {@link USER_CACHE_TTL_MS}. A miss reads the account store once, whatever the number of requests
 * waiting for it. Changes made through this process (sign-in, connect, disconnect, link, unlink)
 * replace or drop the entry at once and are published through the coordination, so every other
 * instance drops its copy as soon as it hears (SECURITY.md "Revocation": invalidated by the
 * change itself). While that channel is down, nothing cached is trusted.
 */
export class UserCache {
  private readonly users = new Map<string, { user: SocialAuthUser; at: number }>();
  private readonly loading = new Map<string, Promise<SocialAuthUser | undefined>>();
  /** Counts invalidations: a read that began before one must not store what it read. */
  private epoch = 0;
  /**
   * When a user was last forgotten (here or, as heard, elsewhere): a sign-in that began before
   * must not cache its user, who may have been disabled or deleted meanwhile.
   */
  private forgottenAt = 0;

  constructor(
    private readonly accounts: AccountStore,
    private readonly coordination?: Coordination,
    private readonly ttlMs = USER_CACHE_TTL_MS,
  ) {
    coordination?.onUserChanged((userId) => {
      this.epoch += 1;
      this.forgottenAt = Date.now();
      if (userId === undefined) this.users.clear();
      else this.users.delete(userId);
    });
  }

  /** The user as `req.user` shows it for this session, if cached, fresh and trusted. */
  get(who: SessionUser, now: number): SocialAuthUser | undefined {
    if (this.coordination && !this.coordination.listening()) return undefined;
    const hit = this.users.get(who.id);
    if (!hit || now - hit.at >= this.ttlMs) return undefined;
    // A copy per request: an app that writes to `req.user` changes its own request only.
    return { ...hit.user, provider: who.provider };
  }

  /** Reads the user from the account store (one read for all who ask at once); none if gone. */
  load(who: SessionUser): Promise<SocialAuthUser | undefined> {
    let pending = this.loading.get(who.id);
    if (!pending) {
      pending = this.read(who).finally(() => this.loading.delete(who.id));
      this.loading.set(who.id, pending);
    }
    return pending.then((user) => user && { ...user, provider: who.provider });
  }

  /**
   * Stores the user as just changed here (by work that began at `now`), and tells the other
   * instances. When a user was forgotten since `now`, nothing is stored: the next request reads
   * the store, which knows whether this user was disabled or deleted meanwhile.
   */
  async changed(user: SocialAuthUser, now = Date.now()): Promise<void> {
    this.epoch += 1; // a read begun before this change must not overwrite it
    if (this.forgottenAt < now) this.put(user, now);
    else this.users.delete(user.id);
    await this.coordination?.userChanged(user.id);
  }

  /** Forgets a user changed here (unlinked, deleted), on every instance. */
  async forget(userId: string): Promise<void> {
    this.epoch += 1;
    this.forgottenAt = Date.now();
    this.users.delete(userId);
    await this.coordination?.userChanged(userId);
  }

  /** Stores the user as just read. */
  put(user: SocialAuthUser, now = Date.now()): void {
    this.users.delete(user.id);
    this.users.set(user.id, { user, at: now });
    if (this.users.size > MAX_USERS) {
      const oldest = this.users.keys().next().value;
      if (oldest !== undefined) this.users.delete(oldest);
    }
  }

  private async read(who: SessionUser): Promise<SocialAuthUser | undefined> {
    const epoch = this.epoch;
    const stored = await this.accounts.getUser(who.id);
    // A disabled user is served as gone: the session is signed out (disable ends them anyway).
    if (!stored || stored.disabledAt !== undefined) {
      this.users.delete(who.id);
      return undefined;
    }
    const user = await snapshot(this.accounts, stored, who.provider);
    if (epoch === this.epoch) this.put(user);
    return user;
  }
}

/** What the session keeps of a signed-in user. */
export function sessionUser(user: SocialAuthUser): SessionUser {
  return { id: user.id, provider: user.provider };
}
