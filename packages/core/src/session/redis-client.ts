import { createHash } from 'node:crypto';
import { Cluster, Redis, type ClusterNode, type ClusterOptions, type RedisOptions } from 'ioredis';

/** What socialauth's Redis parts accept: one server (or Sentinel) or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/** True for an ioredis Cluster client. */
export const isCluster = (client: RedisClient): client is Cluster => client instanceof Cluster;

/**
 * SECURITY.md "Failing closed": a client that fails fast while Redis is down (one retry, a
 * command timeout under a second, no offline queue once connected) and reconnects in the
 * background with a capped backoff, so the app answers 503 at once and recovers by itself.
 */
export const FAIL_FAST: RedisOptions = {
  maxRetriesPerRequest: 1,
  commandTimeout: 800,
  retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
};

/**
 * The same for a Cluster. A command whose primary is gone is retried every 100 ms while the
 * cluster fails over, at most 6 times (~0.6 s; a MOVED redirection counts as one), then fails:
 * a 503 rather than a request held for the whole failover. Reads go to primaries only: a replica
 * can lag, and a session written at sign-in must be there on the next request.
 */
export const FAIL_FAST_CLUSTER: ClusterOptions = {
  redisOptions: { maxRetriesPerRequest: 1, commandTimeout: 800 },
  clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  retryDelayOnFailover: 100,
  retryDelayOnClusterDown: 100,
  retryDelayOnTryAgain: 100,
  maxRedirections: 6,
  scaleReads: 'master',
};

/** Where a client we made reports its connection errors; socialAuth() points it at its logger. */
export interface ReportingClient {
  readonly redis: RedisClient;
  /** Sends this client's errors (at most one line per 5 s) to `warn`. */
  logTo(warn: (message: string) => void): void;
}

/**
 * A fail-fast client for `url`, or a Cluster client for these seed nodes; queues only until its
 * first connection.
 */
export function failFastClient(target: string | ClusterNode[], what: string): ReportingClient {
  const redis =
    typeof target === 'string'
      ? new Redis(target, FAIL_FAST)
      : new Cluster(target, FAIL_FAST_CLUSTER);
  redis.once('ready', () => {
    redis.options.enableOfflineQueue = false;
  });
  let warn = (message: string) => console.warn(message);
  let last = 0;
  // Also keeps ioredis from printing every failed reconnect as an unhandled error event.
  const report = (err: Error) => {
    if (Date.now() - last > 5000) warn(`[socialauth] ${what}: Redis error: ${err.message}`);
    last = Date.now();
  };
  redis.on('error', report);
  if (redis instanceof Cluster) redis.on('node error', report);
  return { redis, logTo: (w) => (warn = w) };
}

/** Ends a client we made: politely when connected, at once when Redis is gone (no reconnects). */
export async function closeClient(redis: RedisClient): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // fall through: a failed QUIT must not leave a reconnecting client behind
    }
  }
  redis.disconnect(false);
}

const shas = new Map<string, string>();

/**
 * Runs a Lua script by its SHA-1 (EVALSHA), so its text crosses the network once per server,
 * not once per call; a server that lacks it (restarted, flushed, a new cluster node) answers
 * NOSCRIPT and gets the text (EVAL), which also loads it there. Works on a Cluster: each command
 * goes to the node of its keys.
 */
export async function runScript(
  client: RedisClient,
  src: string,
  keys: string[],
  args: (string | number)[],
): Promise<unknown> {
  let sha = shas.get(src);
  if (sha === undefined) {
    sha = createHash('sha1').update(src).digest('hex');
    shas.set(src, sha);
  }
  try {
    return await client.evalsha(sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return client.eval(src, keys.length, ...keys, ...args);
  }
}
