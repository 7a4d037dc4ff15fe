import { Redis, type RedisOptions } from 'ioredis';

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

/** Where a client we made reports its connection errors; socialAuth() points it at its logger. */
export interface ReportingClient {
  readonly redis: Redis;
  /** Sends this client's errors (at most one line per 5 s) to `warn`. */
  logTo(warn: (message: string) => void): void;
}

/** A fail-fast client for `url`; queues only until its first connection. */
export function failFastClient(url: string, what: string): ReportingClient {
  const redis = new Redis(url, FAIL_FAST);
  redis.once('ready', () => {
    redis.options.enableOfflineQueue = false;
  });
  let warn = (message: string) => console.warn(message);
  let last = 0;
  // Also keeps ioredis from printing every failed reconnect as an unhandled error event.
  redis.on('error', (err: Error) => {
    if (Date.now() - last > 5000) warn(`[socialauth] ${what}: Redis error: ${err.message}`);
    last = Date.now();
  });
  return { redis, logTo: (w) => (warn = w) };
}

/** Ends a client we made: politely when connected, at once when Redis is gone (no reconnects). */
export async function closeClient(redis: Redis): Promise<void> {
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
