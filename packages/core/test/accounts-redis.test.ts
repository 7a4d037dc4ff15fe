import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { redisAccounts, type AccountStore, type NewIdentity } from '../src/accounts';
import { SocialAuthError } from '../src/errors';
import { googleIdentity as google, startRedis, type RedisServer } from '@socialauth/testkit';

// What only the Redis store has to prove: atomicity across connections, its key layout, prefixes,
// who owns the client, and failing fast while Redis is down.
let redis: RedisServer;
let admin: Redis;
const opened: AccountStore[] = [];
beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.url);
});
beforeEach(() => admin.flushall());
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close?.()));
});
afterAll(async () => {
  await admin.quit();
  await redis.stop();
});

/** A store on its own connection, closed after the test. */
function open(prefix?: string): AccountStore {
  const store = redisAccounts({ url: redis.url, ...(prefix !== undefined && { prefix }) });
  opened.push(store);
  return store;
}

async function scanKeys(client: Redis, pattern = '*'): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  return found.sort();
}

test('20 concurrent first sign-ins on 20 connections create exactly one user', async () => {
  const stores = Array.from({ length: 20 }, () => open());
  const results = await Promise.all(
    stores.map((store, i) => store.createUser({ name: `racer ${i}` }, google('g-1'))),
  );
  const ids = new Set(results.map((r) => r.user.id));
  expect(ids.size).toBe(1);
  expect(results.filter((r) => r.created)).toHaveLength(1);
  expect(await scanKeys(admin, 'socialauth:user:*')).toHaveLength(1);
  expect(await scanKeys(admin, 'socialauth:user-identities:*')).toHaveLength(1);
  expect(await admin.llen(`socialauth:user-identities:${[...ids][0]}`)).toBe(1);
});

test('20 concurrent links of one identity to two users leave exactly one owner', async () => {
  const setup = open();
  const a = (await setup.createUser({}, google('a'))).user;
  const b = (await setup.createUser({}, google('b'))).user;
  const stores = Array.from({ length: 20 }, () => open());
  const kakao: NewIdentity = { provider: 'kakao', subject: '4242', emailVerified: false };
  const settled = await Promise.allSettled(
    stores.map((store, i) => store.link(i % 2 ? a.id : b.id, kakao)),
  );
  const owner = (await setup.findIdentity('kakao', '4242'))?.userId;
  const loser = owner === a.id ? b.id : a.id;
  expect([a.id, b.id]).toContain(owner);
  settled.forEach((outcome, i) => {
    const mine = (i % 2 ? a.id : b.id) === owner;
    if (mine) expect(outcome).toMatchObject({ status: 'fulfilled', value: { userId: owner } });
    else expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'identity_in_use' } });
  });
  expect(settled.filter((o) => o.status === 'rejected')).toHaveLength(10);
  const subjects = async (userId: string) =>
    (await setup.listIdentities(userId)).map((i) => i.subject);
  const own = (userId: string) => (userId === a.id ? 'a' : 'b');
  expect(await subjects(owner ?? '')).toEqual([own(owner ?? ''), '4242']);
  expect(await subjects(loser)).toEqual([own(loser)]);
});

test('concurrent unlinks of all identities leave the last one', async () => {
  const setup = open();
  const { user } = await setup.createUser({}, google('g-1'));
  await setup.link(user.id, google('g-2'));
  await setup.link(user.id, google('g-3'));
  const subjects = ['g-1', 'g-2', 'g-3'];
  const settled = await Promise.allSettled(
    subjects.map((subject) => open().unlink(user.id, 'google', subject)),
  );
  expect(settled.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
  const rejected = settled.filter((o) => o.status === 'rejected');
  expect(rejected).toHaveLength(1);
  expect(rejected[0]).toMatchObject({ reason: { code: 'last_identity' } });
  expect(await setup.listIdentities(user.id)).toHaveLength(1);
});

test('keeps the documented key layout', async () => {
  const store = open();
  const { user } = await store.createUser(
    { email: 'Ada@Example.com' },
    { ...google('a:b%c'), provider: 'my:idp' },
  );
  expect(await scanKeys(admin)).toEqual(
    [
      `socialauth:user:${user.id}`,
      'socialauth:identity:my%3Aidp:a%3Ab%25c',
      `socialauth:user-identities:${user.id}`,
      'socialauth:email:ada@example.com',
      // The admin listings (auth.admin.list): every user, and each provider's subjects.
      'socialauth:users',
      'socialauth:provider-subjects:my%3Aidp',
    ].sort(),
  );
  expect(await admin.zrange('socialauth:users', 0, -1)).toEqual([`${user.createdAt}|${user.id}`]);
  expect(await admin.zrange('socialauth:provider-subjects:my%3Aidp', 0, -1)).toEqual(['a:b%c']);
  expect(await admin.type(`socialauth:user:${user.id}`)).toBe('hash');
  expect(await admin.hget('socialauth:identity:my%3Aidp:a%3Ab%25c', 'subject')).toBe('a:b%c');
  expect(await admin.lrange(`socialauth:user-identities:${user.id}`, 0, -1)).toEqual([
    'my%3Aidp:a%3Ab%25c',
  ]);
  expect(await admin.get('socialauth:email:ada@example.com')).toBe(user.id);
  // Deleting the user leaves no key of the account behind.
  await store.deleteUser!(user.id);
  expect(await scanKeys(admin)).toEqual([]);
});

test('prefixes keep stores apart', async () => {
  const one = open('one:');
  const two = open('two:');
  const { user } = await one.createUser({ email: 'a@example.com' }, google('g-1'));
  expect(await two.findIdentity('google', 'g-1')).toBeUndefined();
  expect(await two.getUser(user.id)).toBeUndefined();
  expect(await two.findUserByVerifiedEmail('a@example.com')).toBeUndefined();
  const other = await two.createUser({}, google('g-1'));
  expect(other.created).toBe(true);
  expect(other.user.id).not.toBe(user.id);
  const keys = await scanKeys(admin);
  expect(keys.filter((k) => k.startsWith('one:'))).toHaveLength(6);
  expect(keys.filter((k) => k.startsWith('two:'))).toHaveLength(5);
  expect(keys.filter((k) => !k.startsWith('one:') && !k.startsWith('two:'))).toEqual([]);
});

test('uses a passed client and leaves it open on close()', async () => {
  const client = new Redis(redis.url);
  try {
    const store = redisAccounts({ client, prefix: 'mine:' });
    await store.createUser({}, google('g-1'));
    await store.close?.();
    expect(await client.ping()).toBe('PONG');
    expect(await scanKeys(client, 'mine:*')).toHaveLength(5);
  } finally {
    await client.quit();
  }
});

test('close() quits the client it made from url', async () => {
  const store = redisAccounts({ url: redis.url });
  await store.getUser('anyone');
  await store.close?.();
  await expect(store.getUser('anyone')).rejects.toThrow(/closed/i);
});

test('needs exactly one of url and client', () => {
  const client = new Redis(redis.url, { lazyConnect: true });
  for (const options of [{}, { url: '' }, { url: redis.url, client }]) {
    expect(() => redisAccounts(options)).toThrow(SocialAuthError);
    expect(() => redisAccounts(options)).toThrow(/`url` and `client`/);
  }
  client.disconnect();
});

test('redis-server test utility keeps an append-only dir across kill and restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'socialauth-aof-'));
  const server = await startRedis({ dir, appendonly: true });
  try {
    const client = new Redis(server.url, { lazyConnect: true, retryStrategy: () => null });
    await client.connect();
    await client.set('kept', 'yes');
    await client.quit();
    await server.kill();
    await server.restart();
    const again = new Redis(server.url);
    expect(await again.get('kept')).toBe('yes');
    await again.quit();
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('redis-server test utility names the Debian package when the binary is missing', async () => {
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    await expect(startRedis()).rejects.toThrow(/Debian package redis-server/);
  } finally {
    process.env.PATH = path;
  }
});

// Last: it takes this file's server down.
test('fails fast while Redis is down, and recovers when it is back', async () => {
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const store = open();
  const { user } = await store.createUser({}, google('g-1'));
  await redis.kill();
  const started = Date.now();
  await expect(store.getUser(user.id)).rejects.toThrow();
  expect(Date.now() - started).toBeLessThan(1500);
  await redis.restart();
  await admin.ping(); // the admin client reconnects too; data is gone (no persistence)
  const deadline = Date.now() + 10_000;
  let found = await store.findIdentity('google', 'g-1').catch(() => 'down' as const);
  while (found === 'down' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    found = await store.findIdentity('google', 'g-1').catch(() => 'down' as const);
  }
  expect(found).toBeUndefined();
  quiet.mockRestore();
});
