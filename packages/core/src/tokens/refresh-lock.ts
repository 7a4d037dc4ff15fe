import { createHash, randomBytes } from 'node:crypto';
import type { Store } from 'express-session';
import { isRedisSessionStore } from '../session/redis-store';

/** Longer than a refresh can take (the provider's 10 s timeout and a store write). */
export const REFRESH_LOCK_MS = 15_000;

/**
 * Who refreshes an identity's tokens when several app instances need them at once. Providers that
 * rotate refresh tokens (Kakao near expiry, Google for some clients) honour the old one once: a
 * second instance refreshing with it would get `invalid_grant`, and the user would have to
 * consent again for nothing. So one instance refreshes; the others wait for its result in the
 * account store (RFC 9700 §4.14.2: a rotated refresh token must not be used again).
 */
export interface RefreshLocks {
  /**
   * Takes the identity's lock. Resolves to its release when taken; to `undefined` when another
   * instance holds it (then read the stored tokens again until they change).
   */
  acquire(identity: string): Promise<(() => Promise<void>) | undefined>;
}

// Deletes the lock only if it is still ours: after an expiry another instance may hold it.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * On a `redisSession` store, `SET NX PX` in the same Redis, shared by every instance. Otherwise
 * always granted: one process has only its own callers, whom {@link TokenAccess} already joins.
 * Keys are a hash of the identity, never the identity itself.
 */
export function refreshLocks(store: Store | undefined): RefreshLocks {
  if (!isRedisSessionStore(store)) return { acquire: () => Promise.resolve(async () => {}) };
  const { redis } = store;
  return {
    async acquire(identity) {
      const key = `socialauth:refresh:${createHash('sha256').update(identity).digest('base64url')}`;
      const owner = randomBytes(16).toString('base64url');
      const taken = await redis.set(key, owner, 'PX', REFRESH_LOCK_MS, 'NX');
      if (taken !== 'OK') return undefined;
      return async () => {
        await redis.eval(RELEASE, 1, key, owner).catch(() => undefined); // it expires anyway
      };
    },
  };
}
