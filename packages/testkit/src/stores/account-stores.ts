// The account stores the store contract suites run against. A backend is a kind of store with
// the server it needs: core brings memory and Redis, @socialauth/postgres brings PostgreSQL
// (packages/postgres/test/backend.ts), so the suites never depend on a store package.
import Redis from 'ioredis';
import { memoryAccounts, redisAccounts, type AccountStore } from '@socialauth/core';
import { startRedis, type RedisServer } from '../redis-server';

/** A kind of account store, and the server of this test file it needs. */
export interface StoreBackend {
  /** Its name in the suites' titles: `memory`, `redis`, `postgres`. */
  readonly name: string;
  /** Starts its server (in `beforeAll`). */
  start(): Promise<void>;
  /** Empties it (before each test). */
  reset(): Promise<void>;
  /**
   * A new store on the started server. `prefix`, when given, keeps it apart from the other
   * stores the same test file makes on that server.
   */
  create(prefix?: string): AccountStore;
  /** Stops its server (in `afterAll`). */
  stop(): Promise<void>;
}

/** The in-process store: nothing to start, a new empty store each time. */
export function memoryBackend(): StoreBackend {
  return {
    name: 'memory',
    start: async () => {},
    reset: async () => {},
    create: () => memoryAccounts(),
    stop: async () => {},
  };
}

/** The Redis store on a redis-server of this test file, emptied (FLUSHALL) before each test. */
export function redisBackend(): StoreBackend {
  let server: RedisServer | undefined;
  let admin: Redis | undefined;
  const url = (): string => {
    if (!server) throw new Error('the Redis backend is not started');
    return server.url;
  };
  return {
    name: 'redis',
    async start() {
      server = await startRedis();
      admin = new Redis(server.url);
    },
    async reset() {
      await admin?.flushall();
    },
    create: (prefix) => redisAccounts({ url: url(), ...(prefix !== undefined && { prefix }) }),
    async stop() {
      await admin?.quit();
      await server?.stop();
    },
  };
}

/**
 * `[name, make]` rows for `describe.each`, one per backend, with the backends started, emptied
 * and stopped by hooks registered here (in the calling scope). With a `prefix`, each store made
 * gets one of its own (`<prefix><n>:`).
 */
export function accountStores(
  backends: readonly StoreBackend[],
  prefix?: string,
): [string, () => AccountStore][] {
  let count = 0;
  beforeAll(async () => {
    for (const backend of backends) await backend.start();
  }, 60_000);
  afterAll(async () => {
    for (const backend of backends) await backend.stop();
  });
  beforeEach(async () => {
    for (const backend of backends) await backend.reset();
  });
  return backends.map((backend) => [
    backend.name,
    () => backend.create(prefix === undefined ? undefined : `${prefix}${(count += 1)}:`),
  ]);
}
