import { RedisStore } from 'connect-redis';
import type { Redis } from 'ioredis';
import { SocialAuthError } from '../errors';
import { closeClient, failFastClient } from './redis-client';

/** Options for {@link redisSession}. */
export interface RedisSessionOptions {
  /** `redis://...`; a fail-fast client is created. Or pass `client`. */
  url?: string;
  /** Your own ioredis client (Sentinel, Cluster, TLS: any ioredis options pass through). */
  client?: Redis;
  /** Key prefix. Default `socialauth:sess:`. */
  prefix?: string;
  /**
   * Seconds after which a request of a signed-in user extends the session (one SET) rather than
   * only reading it (one GET). Default: a tenth of the session lifetime.
   */
  touchAfter?: number;
}

/** The store, with what socialauth needs to know about it. */
export interface SocialAuthRedisStore extends RedisStore {
  readonly redis: Redis;
  readonly touchAfterMs: number | undefined;
  /** Sends connection errors of a client made from `url` to the logger. */
  logTo(warn: (message: string) => void): void;
  /** Closes the client if the store made it (from `url`). */
  close(): Promise<void>;
}

/**
 * An express-session store on Redis (connect-redis 8 + ioredis). Each key lives as long as its
 * cookie: ten minutes for a pending sign-in, the session lifetime once signed in. Touches are
 * lazy: socialauth rewrites a signed-in session only once per `touchAfter`, so a request costs one
 * GET. Pass it as `session.store`; rate limits then share this Redis too.
 *
 * @example
 * ```ts
 * socialAuth({ ..., session: { store: redisSession({ url: process.env.REDIS_URL }) } });
 * ```
 */
export function redisSession(options: RedisSessionOptions): SocialAuthRedisStore {
  if (!options.url === !options.client) {
    throw new SocialAuthError('config_invalid', 'redisSession: pass exactly one of url and client');
  }
  const own = options.client ? undefined : failFastClient(options.url!, 'session store');
  const client = options.client ?? own!.redis;
  const store = new RedisStore({
    client,
    prefix: options.prefix ?? 'socialauth:sess:',
    // express-session would EXPIRE on every request; socialauth's lazy touch saves instead.
    disableTouch: true,
  });
  return Object.assign(store, {
    redis: client,
    touchAfterMs: options.touchAfter === undefined ? undefined : options.touchAfter * 1000,
    logTo: (warn: (message: string) => void) => own?.logTo(warn),
    close: async () => {
      if (own) await closeClient(own.redis);
    },
  });
}

/** True for a store made by {@link redisSession}. */
export function isRedisSessionStore(store: unknown): store is SocialAuthRedisStore {
  return store instanceof RedisStore && 'redis' in store;
}
