import { createHash } from 'node:crypto';
import type { Coordination } from '../coordination/types';
import { TIMEOUT_MS } from './endpoints';

/** A refresh is one provider call and one store write: the lock outlives it by this much. */
const LOCK_MARGIN_MS = 2_000;

/**
 * Who refreshes an identity's tokens when several app instances need them at once. Providers that
 * rotate refresh tokens (Kakao near expiry, Google for some clients) honour the old one once: a
 * second instance refreshing with it would get `invalid_grant`, and the user would have to
 * consent again for nothing. So one instance refreshes; the others wait for its result in the
 * account store (RFC 9700 §4.14.2: a rotated refresh token must not be used again).
 */
export interface RefreshLocks {
  /**
   * How long a lock lives: about one provider call. A holder that dies (a crashed instance)
   * loses it then, and a waiter takes over instead of waiting for nothing.
   */
  readonly ttlMs: number;
  /**
   * Takes the identity's lock. Resolves to its release when taken; to `undefined` when another
   * instance holds it (then read the stored tokens again until they change).
   */
  acquire(identity: string): Promise<(() => Promise<void>) | undefined>;
}

/**
 * Refresh locks in the app's {@link Coordination}: shared by every instance on a shared one.
 * Keys are a hash of the identity, never the identity itself.
 */
export function refreshLocks(coordination: Coordination, providerTimeoutMs: number): RefreshLocks {
  // The refresh request's own timeout, or the app's longer one: a lock must outlive the call it
  // guards, or a waiter would refresh with the same (rotated) refresh token meanwhile.
  const ttlMs = Math.max(providerTimeoutMs, TIMEOUT_MS) + LOCK_MARGIN_MS;
  return {
    ttlMs,
    acquire: (identity) =>
      coordination.lock(
        `refresh:${createHash('sha256').update(identity).digest('base64url')}`,
        ttlMs,
      ),
  };
}

/** For one process without coordination: always granted ({@link TokenAccess} joins callers). */
export const localRefreshLocks: RefreshLocks = {
  ttlMs: TIMEOUT_MS + LOCK_MARGIN_MS,
  acquire: () => Promise.resolve(async () => {}),
};
