import { RedisStore } from 'connect-redis';
import type { ClusterNode } from 'ioredis';
import { SocialAuthError } from '../errors';
import { compactSerializer } from './compact';
import { closeClient, failFastClient, type RedisClient } from './redis-client';

/** Options for {@link redisSession}: exactly one of `url`, `cluster` and `client`. */
export interface RedisSessionOptions {
  /** `redis://...`; a fail-fast client is created. */
  url?: string;
  /**
   * Seed nodes of a Redis Cluster (`'redis://10.0.0.1:6379'` or `{ host, port }`); a fail-fast
   * ioredis Cluster client is created (reads from primaries only).
   */
  cluster?: ClusterNode[];
  /**
   * Your own ioredis client: a `Redis` (Sentinel, TLS: any ioredis options pass through) or a
   * `Cluster`. It is used as it is: its retry and queueing options are yours.
   */
  client?: RedisClient;
  /** Key prefix. Default `socialauth:sess:`. */
  prefix?: string;
  /**
   * Seconds after which a request of a signed-in user extends the session (one SET) rather than
   * only reading it (one GET). Default: a tenth of the session lifetime.
   */
  touchAfter?: number;
}

/** Registers what must end with the store (socialauth's coordination on its client). */
export const CLOSE_WITH = Symbol('socialauth.closeWith');

/** The store, with what socialauth needs to know about it. */
export interface SocialAuthRedisStore extends RedisStore {
  /** @internal */
  [CLOSE_WITH](close: () => Promise<void>): void;
  readonly redis: RedisClient;
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
 * On a Redis Cluster every key socialauth writes here (session, rate-limit counter, a user's
 * session index, sign-in claim, refresh lock) is one key per command, so sessions spread over
 * all primaries and nothing needs a hash tag. Key names are the same as on a single server.
 *
 * @example
 * ```ts
 * socialAuth({ ..., session: { store: redisSession({ url: process.env.REDIS_URL }) } });
 * // or, on a Redis Cluster:
 * redisSession({ cluster: ['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379'] });
 * ```
 */
export function redisSession(options: RedisSessionOptions): SocialAuthRedisStore {
  const given = [options.url, options.cluster, options.client].filter(
    (o) => o !== undefined && o !== '',
  );
  if (given.length !== 1) {
    const problem = 'redisSession: pass exactly one of url, cluster and client';
    throw new SocialAuthError('config_invalid', problem);
  }
  const target = options.url ?? options.cluster;
  const own = target === undefined ? undefined : failFastClient(target, 'session store');
  const client = options.client ?? own!.redis;
  const store = new RedisStore({
    client,
    prefix: options.prefix ?? 'socialauth:sess:',
    // express-session would EXPIRE on every request; socialauth's lazy touch saves instead.
    disableTouch: true,
    serializer: compactSerializer,
  });
  // No `touch` at all rather than connect-redis's no-op one: express-session calls a store's
  // touch at the end of every request that did not save, and holds back the end of the response
  // until its callback (headers and body then go out in separate writes, a syscall each).
  Object.defineProperty(store, 'touch', { value: undefined, configurable: true, writable: true });
  const closers: (() => Promise<void>)[] = [];
  return Object.assign(store, {
    redis: client,
    touchAfterMs: options.touchAfter === undefined ? undefined : options.touchAfter * 1000,
    logTo: (warn: (message: string) => void) => own?.logTo(warn),
    [CLOSE_WITH]: (close: () => Promise<void>) => void closers.push(close),
    close: async () => {
      // What socialauth opened on this client first (a subscriber that would otherwise go on
      // reconnecting when Redis is gone), then the client, if the store made it.
      for (const end of closers.splice(0)) await end();
      if (own) await closeClient(own.redis);
    },
  });
}

/** True for a store made by {@link redisSession}. */
export function isRedisSessionStore(store: unknown): store is SocialAuthRedisStore {
  return store instanceof RedisStore && 'redis' in store;
}
