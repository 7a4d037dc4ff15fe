// The account stores a suite runs its table against: memory, Redis and PostgreSQL, with the
// servers started and stopped by the calling test file's hooks (registered here).
import { migrate, postgresAccounts } from '@socialauth/postgres';
import { memoryAccounts, redisAccounts, type AccountStore } from '../src';
import { startPostgres, type PostgresServer } from '../../postgres/test/pg-server';
import { startRedis, type RedisServer } from './redis-server';

/**
 * `[name, make]` rows for `describe.each`. Each Redis store gets a prefix of its own
 * (`<prefix><n>:`); PostgreSQL's tables are emptied before each test.
 */
export function accountStores(prefix: string): [string, () => AccountStore][] {
  let redis: RedisServer;
  let pg: PostgresServer;
  let count = 0;
  beforeAll(async () => {
    redis = await startRedis();
    pg = await startPostgres();
    await migrate({ url: pg.url });
  }, 60_000);
  afterAll(async () => {
    await redis?.stop();
    await pg?.stop();
  });
  beforeEach(() => pg.query('truncate socialauth_users cascade'));
  return [
    ['memory', () => memoryAccounts()],
    ['redis', () => redisAccounts({ url: redis.url, prefix: `${prefix}${(count += 1)}:` })],
    ['postgres', () => postgresAccounts({ url: pg.url })],
  ];
}
