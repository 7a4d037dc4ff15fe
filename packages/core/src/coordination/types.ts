import type { Store as RateLimitStore } from 'express-rate-limit';
import type { RedisClient } from '../session/redis-client';
import type { IndexLimits, SessionIndex } from '../session/user-sessions';

/**
 * What every socialauth instance of one app must agree on, whatever session store the app
 * picked: single-use claims (sign-in state, app ID tokens, webhook notifications), refresh
 * locks, each user's session index, rate-limit counts and user-cache invalidation. Chosen once
 * at start-up (`coordination` in the config); no other module asks which store is in use.
 *
 * {@link memoryCoordination} keeps it in this process (one instance only);
 * {@link redisCoordination} in a Redis or Redis Cluster that every instance shares.
 */
export interface Coordination {
  /** `process`: this process alone sees it; `shared`: every instance on the same Redis does. */
  readonly scope: 'process' | 'shared';
  /** The Redis it lives in (shared scope): a sign-in on the same Redis writes in one round trip. */
  readonly redis?: RedisClient;
  /**
   * True for the first caller with `key` within `ttlMs`, false for every later one, atomically
   * across instances. Callers pass a hash, never a secret itself.
   */
  once(key: string, ttlMs: number): Promise<boolean>;
  /** Gives a claim back (the work it guarded failed), so the next caller with `key` gets it. */
  release(key: string): Promise<void>;
  /**
   * Takes a lock for `ttlMs` at most: its release when taken, `undefined` while another caller
   * (here or on another instance) holds it. A holder that dies loses it when `ttlMs` ends.
   */
  lock(key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
  /** Each user's signed-in sessions, within the sessions' lifetime and a per-user cap. */
  sessionIndex(limits: IndexLimits): SessionIndex;
  /** Where rate-limit counts under `prefix` live; `undefined`: express-rate-limit's memory store. */
  rateLimitStore(prefix: string): RateLimitStore | undefined;
  /** Tells every other instance that a user changed (its cached `req.user` is stale). */
  userChanged(userId: string): Promise<void>;
  /**
   * `listener(userId)` hears each user another instance changed, and `listener(undefined)` when
   * changes may have been missed (the channel was down): then every cached user is stale.
   */
  onUserChanged(listener: (userId: string | undefined) => void): void;
  /** False while changes from other instances may not arrive: cached users are not to be trusted. */
  listening(): boolean;
  /** Ends what this coordination opened (its subscriber, a client made from a URL). */
  close(): Promise<void>;
}
