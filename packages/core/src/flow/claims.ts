import { createHash } from 'node:crypto';
import type { Store } from 'express-session';
import { isRedisSessionStore } from '../session/redis-store';
import { FLOW_TTL_MS } from './state';

/**
 * Claims a sign-in flow once, atomically. The flow itself lives in the session, and concurrent
 * requests each read their own copy: deleting it from the session cannot stop a second request
 * that read it first. The claim can (RFC 6749 §10.12, RFC 9700 §4.7: state is single-use).
 */
export interface FlowClaims {
  /** True for the first caller with this state value, false for every later one. */
  claim(state: string): Promise<boolean>;
}

/**
 * On a `redisSession` store, `SET NX` in the same Redis, shared by every instance. Otherwise a map
 * in this process (enough for one process; several instances should share a Redis store).
 * Keys are a hash of the state, never the state itself, and expire with the flow.
 */
export function flowClaims(store: Store | undefined): FlowClaims {
  const key = (state: string) => createHash('sha256').update(state).digest('base64url');
  if (isRedisSessionStore(store)) {
    const { redis } = store;
    return {
      async claim(state) {
        const set = await redis.set(`socialauth:flow:${key(state)}`, '1', 'PX', FLOW_TTL_MS, 'NX');
        return set === 'OK';
      },
    };
  }
  const claimed = new Map<string, number>();
  let sweepAt = 1024;
  return {
    claim(state) {
      const now = Date.now();
      // Entries exist only for flows a session really held, so the map is bounded by sign-ins
      // started in the last ten minutes; expired ones go whenever it has doubled.
      if (claimed.size >= sweepAt) {
        for (const [k, until] of claimed) if (until <= now) claimed.delete(k);
        sweepAt = Math.max(1024, claimed.size * 2);
      }
      const k = key(state);
      if ((claimed.get(k) ?? 0) > now) return Promise.resolve(false);
      claimed.set(k, now + FLOW_TTL_MS);
      return Promise.resolve(true);
    },
  };
}
