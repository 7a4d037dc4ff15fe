import { createHash, randomBytes } from 'node:crypto';
import type { ClusterNode } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { SocialAuthError } from '../errors';
import {
  closeClient,
  failFastClient,
  isCluster,
  runScript,
  type RedisClient,
} from '../session/redis-client';
import { redisIndex } from '../session/user-sessions';
import type { Coordination } from './types';

/** Options for {@link redisCoordination}: exactly one of `url`, `cluster` and `client`. */
export interface RedisCoordinationOptions {
  /** `redis://...`; a fail-fast client is created (and closed by `close()`). */
  url?: string;
  /** Seed nodes of a Redis Cluster; a fail-fast Cluster client is created. */
  cluster?: ClusterNode[];
  /** Your own ioredis client (a `Redis` or a `Cluster`), used as it is. */
  client?: RedisClient;
}

/** Where instances tell each other that a user changed. */
const CHANNEL = 'socialauth:user-changed';

// Deletes the lock only if it is still ours: after an expiry another instance may hold it.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Coordination in a Redis (or Redis Cluster) that every instance shares, whatever store holds
 * the sessions (a `redisSession`, connect-redis, connect-pg-simple...): single-use claims are
 * `SET NX PX`, locks are released by compare-and-delete, the session index is a hash per user,
 * rate limits count in Redis, and user changes are published on one channel, which every
 * instance's user cache follows (SECURITY.md "Revocation": invalidated by the change itself).
 * Every command touches one key, so it runs on a Cluster unchanged.
 *
 * With a `redisSession` store and no `coordination`, socialauth uses its Redis this way.
 *
 * @example
 * ```ts
 * app.use(session({ store: new RedisStore({ client }), secret, resave: false, saveUninitialized: false }));
 * app.use(socialAuth({ ..., session: { store }, coordination: redisCoordination({ url: process.env.REDIS_URL }) }));
 * ```
 */
export function redisCoordination(options: RedisCoordinationOptions): Coordination {
  const given = [options.url, options.cluster, options.client].filter(
    (o) => o !== undefined && o !== '',
  );
  if (given.length !== 1) {
    throw new SocialAuthError(
      'config_invalid',
      'redisCoordination: pass exactly one of url, cluster and client',
    );
  }
  const target = options.url ?? options.cluster;
  const own = target === undefined ? undefined : failFastClient(target, 'coordination');
  const redis = options.client ?? own!.redis;
  const instance = randomBytes(9).toString('base64url');
  const listeners: ((userId: string | undefined) => void)[] = [];
  let subscriber: RedisClient | undefined;
  let subscribed = false;
  let closed = false;

  const tell = (userId: string | undefined) => {
    for (const listener of listeners) listener(userId);
  };
  /** A second connection, subscribed; it ends with the client it was made from. */
  const subscribe = () => {
    if (subscriber || closed) return;
    // Subscribed again below at every 'ready'. ioredis's own resubscribe would also run, with
    // its promise dropped: on a fail-fast client that rejects while the stream is not writable
    // yet, an unhandled rejection (which ends a Node process). So it is off here.
    const sub = isCluster(redis) ? redis.duplicate() : redis.duplicate({ autoResubscribe: false });
    subscriber = sub;
    // An 'error' event without a listener would end the process (no input may).
    sub.on('error', () => undefined);
    const down = () => {
      subscribed = false;
    };
    sub.on('close', down);
    sub.on('end', down);
    sub.on('reconnecting', down);
    sub.on('ready', () => {
      // Subscribed once connected (a fail-fast client queues nothing while offline), and again
      // after every reconnect: what was published meanwhile is lost, so every cached user is
      // stale then.
      sub.subscribe(CHANNEL).then(
        () => {
          tell(undefined);
          subscribed = sub.status === 'ready';
        },
        () => undefined, // tried again at the next 'ready'
      );
    });
    sub.on('message', (channel: string, message: string) => {
      if (channel !== CHANNEL) return;
      const cut = message.indexOf('\n');
      if (cut < 0 || message.slice(0, cut) === instance) return;
      tell(message.slice(cut + 1));
    });
    redis.once('end', () => sub.disconnect(false));
  };

  return {
    scope: 'shared',
    redis,
    async once(key, ttlMs) {
      return (await redis.set(`socialauth:${key}`, '1', 'PX', ttlMs, 'NX')) === 'OK';
    },
    async release(key) {
      await redis.del(`socialauth:${key}`);
    },
    async lock(key, ttlMs) {
      const name = `socialauth:${key}`;
      const owner = randomBytes(16).toString('base64url');
      if ((await redis.set(name, owner, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
      return async () => {
        await runScript(redis, RELEASE, [name], [owner]).catch(() => undefined); // it expires anyway
      };
    },
    sessionIndex: (limits) => redisIndex(redis, limits),
    rateLimitStore: (prefix) => new RedisStore({ prefix, sendCommand: scriptsByValue(redis) }),
    async userChanged(userId) {
      await redis.publish(CHANNEL, `${instance}\n${userId}`);
    },
    onUserChanged(listener) {
      listeners.push(listener);
      subscribe();
    },
    listening: () => subscribed,
    async close() {
      closed = true;
      subscribed = false;
      subscriber?.disconnect(false);
      if (own) await closeClient(own.redis);
    },
  };
}

/**
 * rate-limit-redis loads its scripts once (SCRIPT LOAD, a command with no key) and then runs
 * them by SHA. On a Cluster that load lands on one random node, and a failed-over or restarted
 * primary has an empty script cache: here the SHA is computed locally and every EVALSHA is sent
 * as EVAL with its key, so it reaches the key's primary and runs wherever that is (Redis caches
 * the compiled script either way).
 */
function scriptsByValue(redis: RedisClient) {
  const scripts = new Map<string, string>();
  return async (command: string, ...args: string[]): Promise<RedisReply> => {
    const verb = command.toUpperCase();
    if (verb === 'SCRIPT' && args[0]?.toUpperCase() === 'LOAD' && args[1] !== undefined) {
      const sha = createHash('sha1').update(args[1]).digest('hex');
      scripts.set(sha, args[1]);
      return sha;
    }
    const script = verb === 'EVALSHA' ? scripts.get(args[0] ?? '') : undefined;
    if (script !== undefined)
      return redis.call('EVAL', script, ...args.slice(1)) as Promise<RedisReply>;
    return redis.call(command, ...args) as Promise<RedisReply>;
  };
}
