import Redis from 'ioredis';
import { redisAccounts, type AccountStore } from '../src/accounts';
import { startRedis, type RedisServer } from '@socialauth/testkit';

// The account store's Lua scripts go by SHA-1 (EVALSHA); a server without them (restarted,
// SCRIPT FLUSH) gets their text once (EVAL) and the call still succeeds.
let redis: RedisServer;
let admin: Redis;
let store: AccountStore;
beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
  store = redisAccounts({ url: redis.url });
});
afterAll(async () => {
  await store.close?.();
  await admin.quit();
  await redis.stop();
});

/** Commands the server ran since the last RESETSTAT, by name. */
async function calls(): Promise<Record<string, number>> {
  const stats = await admin.info('commandstats');
  return Object.fromEntries(
    [...stats.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map(([, name, n]) => [name, Number(n)]),
  );
}

test('scripts run by SHA-1, and by text once after the server lost them', async () => {
  const { user } = await store.createUser(
    { name: 'Ada' },
    { provider: 'google', subject: '1', emailVerified: true },
  );
  await store.listIdentities(user.id); // loads LIST on the server
  await admin.config('RESETSTAT');
  expect(await store.listIdentities(user.id)).toHaveLength(1);
  expect(await calls()).toMatchObject({ evalsha: 1 });
  expect((await calls()).eval).toBeUndefined();

  await admin.script('FLUSH');
  await admin.config('RESETSTAT');
  expect(await store.listIdentities(user.id)).toHaveLength(1);
  expect(await calls()).toMatchObject({ evalsha: 1, eval: 1 });
  await admin.config('RESETSTAT');
  expect(await store.listIdentities(user.id)).toHaveLength(1);
  expect((await calls()).eval).toBeUndefined();
});
