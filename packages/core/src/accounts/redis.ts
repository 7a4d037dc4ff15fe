import { randomUUID } from 'node:crypto';
import type { ClusterNode } from 'ioredis';
import { closeClient, failFastClient, isCluster, type RedisClient } from '../session/redis-client';
import { runScript } from '../session/redis-client';
import { SocialAuthError } from '../errors';
import { emailKey } from './email';
import type { AccountStore, NewIdentity, StoredIdentity, StoredUser } from './types';

/**
 * Options for {@link redisAccounts}: exactly one of `url`, `cluster` and `client`.
 *
 * @example
 * ```ts
 * const options: RedisAccountsOptions = { url: 'redis://127.0.0.1:6379', prefix: 'myapp:' };
 * ```
 */
export interface RedisAccountsOptions {
  /** The store makes its own fail-fast client from this URL, and quits it on `close()`. */
  url?: string;
  /** Seed nodes of a Redis Cluster: the store makes its own fail-fast Cluster client. */
  cluster?: ClusterNode[];
  /**
   * A client the app owns (`Redis` or `Cluster`): the store uses it as it is, and `close()`
   * leaves it open.
   */
  client?: RedisClient;
  /**
   * Put before every key; default `'socialauth:'`, and `'{socialauth}:'` on a Cluster, where it
   * must hold a hash tag (`{...}`): every account key then lives in that tag's one slot.
   */
  prefix?: string;
}

// Some scripts build keys themselves (the owner's user key, identity keys from the list): on a
// Cluster they run because the prefix's hash tag puts every key in one slot. Replies are {status, HGETALL...}, so callers get what was stored.
const CREATE = `local owner = redis.call('HGET', KEYS[1], 'userId')
if owner then return {0, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', ARGV[3] .. owner)} end
redis.call('HSET', KEYS[2], unpack(ARGV, 5, 4 + ARGV[4]))
redis.call('HSET', KEYS[1], unpack(ARGV, 5 + ARGV[4]))
redis.call('RPUSH', KEYS[3], ARGV[2])
if KEYS[4] then redis.call('SET', KEYS[4], ARGV[1], 'NX') end
return {1, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}`;
const LINK = `local owner = redis.call('HGET', KEYS[1], 'userId')
if owner == ARGV[1] then return {1, redis.call('HGETALL', KEYS[1])} end
if owner then return {2} end
if redis.call('EXISTS', KEYS[3]) == 0 then return {3} end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('RPUSH', KEYS[2], ARGV[2])
return {0, redis.call('HGETALL', KEYS[1])}`;
const UNLINK = `if redis.call('HGET', KEYS[1], 'userId') ~= ARGV[1] then return {0} end
if redis.call('LLEN', KEYS[2]) < 2 then return {2} end
local removed = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('LREM', KEYS[2], 1, ARGV[2])
return {1, removed}`;
const LIST = `local out = {}
for i, m in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do out[i] = redis.call('HGETALL', ARGV[1] .. m) end
return out`;
const SAVE_TOKENS = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'needsReauth', ARGV[1])
if ARGV[2] then redis.call('HSET', KEYS[1], 'tokens', ARGV[2]) else redis.call('HDEL', KEYS[1], 'tokens') end
return 1`;
const SAVE_PROFILE = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] then redis.call('HSET', KEYS[1], 'profile', ARGV[1]) else redis.call('HDEL', KEYS[1], 'profile') end
return 1`;
const UPDATE_USER = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if KEYS[2] then
  local old = redis.call('HGET', KEYS[1], 'emailIndex')
  if old and redis.call('GET', ARGV[1] .. old) == ARGV[2] then redis.call('DEL', ARGV[1] .. old) end
  redis.call('SET', KEYS[2], ARGV[2], 'NX')
end
if #ARGV > 2 then redis.call('HSET', KEYS[1], unpack(ARGV, 3)) end
return 1`;

/** True when every key starting with `prefix` hashes on its tag: a non-empty `{...}` in it. */
function hashTagged(prefix: string): boolean {
  const open = prefix.indexOf('{');
  const close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
  return close > open + 1;
}
const untagged =
  'redisAccounts: on a Redis Cluster the prefix needs a hash tag, e.g. `{socialauth}:` (the ' +
  "scripts' keys must share a slot: one shard then holds all accounts), or keep accounts in SQL " +
  '(@socialauth/postgres) and only sessions on the cluster';

/** `%` and `:` escaped, so `a:b` + `c` and `a` + `b:c` cannot name the same identity key. */
const member = (provider: string, subject: string): string =>
  [provider, subject].map((p) => p.replace(/%/g, '%25').replace(/:/g, '%3A')).join(':');

/** A Redis hash as `HSET` arguments; `undefined` fields are left out rather than stored. */
function flat(hash: Record<string, string | boolean | undefined>): string[] {
  return Object.entries(hash).flatMap(([k, v]) => (v === undefined ? [] : [k, String(v)]));
}

/** A user's hash fields; `emailIndex` (its `emailKey`) says which email key to free on a change. */
const userFields = (user: Partial<StoredUser>): string[] =>
  flat({ ...user, emailIndex: user.email === undefined ? undefined : emailKey(user.email) });
/** An identity's hash fields, picked one by one so no stray property reaches Redis. */
function identityFields(userId: string, identity: NewIdentity): string[] {
  const { provider, subject, email, emailVerified, tokens, needsReauth, profile } = identity;
  const linkedAt = new Date().toISOString();
  const fields = { userId, provider, subject, email, emailVerified, linkedAt, tokens, needsReauth };
  return flat({ ...fields, profile });
}

/** A script's reply lacked what it had just written: only a broken server does that. */
function incomplete(): never {
  throw new Error('Redis returned an incomplete account record');
}
/** A flat HGETALL reply from a script as the object `client.hgetall` would give. */
function record(reply: unknown): Record<string, string> {
  const items = Array.isArray(reply) ? reply.map(String) : [];
  return Object.fromEntries(items.flatMap((k, i) => (i % 2 ? [] : [[k, items[i + 1] ?? '']])));
}
/** Drops `undefined` fields: a hash cannot hold them, so neither store hands them back. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
function toUser(h: Record<string, string>): StoredUser | undefined {
  const { id, name, email, avatarUrl, createdAt } = h;
  if (id === undefined || createdAt === undefined) return undefined;
  return defined({ id, name, email, avatarUrl, createdAt });
}
function toIdentity(h: Record<string, string>): StoredIdentity | undefined {
  const { userId, provider, subject, email, emailVerified, linkedAt, tokens, needsReauth } = h;
  if (!userId || provider === undefined || subject === undefined || !linkedAt) return undefined;
  const reauth = needsReauth === undefined ? undefined : needsReauth === 'true';
  const flags = { emailVerified: emailVerified === 'true', needsReauth: reauth };
  return defined({
    userId,
    provider,
    subject,
    email,
    linkedAt,
    tokens,
    ...flags,
    profile: h.profile,
  });
}

/**
 * An {@link AccountStore} on Redis (ioredis 5). `createUser`, `link`, `unlink`, `saveTokens` and
 * `updateUser` are each one Lua script, so they are atomic across processes. A verified email
 * belongs to the first user that claims it.
 *
 * On a Redis Cluster (`cluster`, or a `Cluster` as `client`) the prefix must be a hash tag,
 * `'{socialauth}:'` by default, so that the scripts' keys share a slot: one primary (and its
 * replicas) then holds every account and takes every account read and write. That is fine for
 * sign-ins (accounts are read at sign-in, not per request; sessions still spread over the
 * cluster), but it does not shard accounts: past one primary's memory or load, keep accounts in
 * SQL (`@socialauth/postgres`) and only sessions on the cluster.
 *
 * @example
 * ```ts
 * const accounts = redisAccounts({ url: process.env.REDIS_URL });
 * const kakao = { provider: 'kakao', subject: '4242', emailVerified: false };
 * const { user, created } = await accounts.createUser({ name: 'Ada' }, kakao);
 * await accounts.close?.();
 * // On a Redis Cluster: every account key in the slot of {socialauth}
 * redisAccounts({ cluster: ['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379'] });
 * ```
 */
export function redisAccounts(options: RedisAccountsOptions): AccountStore {
  const { url, cluster, client: given } = options;
  const problem =
    'redisAccounts: pass exactly one of `url` and `client` (or `cluster`: seed nodes)';
  const passed = [url, cluster, given].filter((o) => o !== undefined && o !== '');
  if (passed.length !== 1) throw new SocialAuthError('config_invalid', problem);
  const client = given ?? failFastClient(url || cluster || '', 'account store').redis;
  const prefix = options.prefix ?? (isCluster(client) ? '{socialauth}:' : 'socialauth:');
  if (isCluster(client) && !hashTagged(prefix))
    throw new SocialAuthError('config_invalid', untagged);
  const userKey = (id: string): string => `${prefix}user:${id}`;
  const listKey = (id: string): string => `${prefix}user-identities:${id}`;
  const emailIndexKey = (email: string): string => `${prefix}email:${emailKey(email)}`;
  const identityKey = (p: string, s: string): string => `${prefix}identity:${member(p, s)}`;

  // By SHA-1 (EVALSHA), the text only when the server lacks it (NOSCRIPT): see runScript.
  const run = async (src: string, keys: string[], args: string[]): Promise<unknown[]> => {
    const reply: unknown = await runScript(client, src, keys, args);
    return Array.isArray(reply) ? reply : [reply];
  };

  return {
    async findIdentity(provider, subject) {
      return toIdentity(await client.hgetall(identityKey(provider, subject)));
    },
    async findUserByVerifiedEmail(email) {
      const userId = await client.get(emailIndexKey(email));
      return userId === null ? undefined : toUser(await client.hgetall(userKey(userId)));
    },
    async getUser(userId) {
      return toUser(await client.hgetall(userKey(userId)));
    },
    async createUser(user, identity) {
      const id = randomUUID();
      const { name, email, avatarUrl } = user;
      const { provider, subject } = identity;
      const createdAt = new Date().toISOString();
      const fields = userFields({ id, name, email, avatarUrl, createdAt });
      const keys = [identityKey(provider, subject), userKey(id), listKey(id)];
      if (email !== undefined) keys.push(emailIndexKey(email));
      const args = [id, member(provider, subject), userKey(''), String(fields.length)];
      const idArgs = identityFields(id, identity);
      const [won, idHash, userHash] = await run(CREATE, keys, [...args, ...fields, ...idArgs]);
      const [stored, linked] = [toUser(record(userHash)), toIdentity(record(idHash))];
      return { user: stored ?? incomplete(), identity: linked ?? incomplete(), created: won === 1 };
    },
    async link(userId, identity) {
      const { provider, subject } = identity;
      const idArgs = identityFields(userId, identity);
      const keys = [identityKey(provider, subject), listKey(userId), userKey(userId)];
      const args = [userId, member(provider, subject), ...idArgs];
      const [status, hash] = await run(LINK, keys, args);
      if (status === 2) throw new SocialAuthError('identity_in_use');
      // A bug in the caller, not a user-facing condition: an orphan identity would log in no one.
      if (status === 3) throw new Error(`link: there is no user ${userId}`);
      return toIdentity(record(hash)) ?? incomplete();
    },
    async unlink(userId, provider, subject) {
      const keys = [identityKey(provider, subject), listKey(userId)];
      const [status, removed] = await run(UNLINK, keys, [userId, member(provider, subject)]);
      if (status === 2) throw new SocialAuthError('last_identity');
      return status === 1 ? toIdentity(record(removed)) : undefined;
    },
    async listIdentities(userId) {
      const reply = await run(LIST, [listKey(userId)], [`${prefix}identity:`]);
      return reply.flatMap((h) => toIdentity(record(h)) ?? []);
    },
    async saveTokens(provider, subject, tokens, needsReauth) {
      const args = [String(needsReauth), ...(tokens === undefined ? [] : [tokens])];
      await run(SAVE_TOKENS, [identityKey(provider, subject)], args);
    },
    async saveProfile(provider, subject, profile) {
      await run(
        SAVE_PROFILE,
        [identityKey(provider, subject)],
        profile === undefined ? [] : [profile],
      );
    },
    async updateUser(userId, fields) {
      const { name, email, avatarUrl } = fields;
      const keys = [userKey(userId), ...(email === undefined ? [] : [emailIndexKey(email)])];
      const args = userFields({ name, email, avatarUrl });
      await run(UPDATE_USER, keys, [emailIndexKey(''), userId, ...args]);
    },
    async close() {
      if (!given) await closeClient(client);
    },
  };
}
