import { randomUUID } from 'node:crypto';
import type { ClusterNode } from 'ioredis';
import { closeClient, failFastClient, isCluster, type RedisClient } from '../session/redis-client';
import { runScript } from '../session/redis-client';
import { SocialAuthError } from '../errors';
import { emailKey } from './email';
import { isScopeToken, mergeScopes } from './scopes';
import type { AccountStore, NewIdentity, StoredIdentity, StoredUser } from './types';
import { checkQuery, emailPage, subjectCursor, userCursor } from './user-query';

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
redis.call('HSET', KEYS[2], unpack(ARGV, 7, 6 + ARGV[4]))
redis.call('HSET', KEYS[1], unpack(ARGV, 7 + ARGV[4]))
redis.call('RPUSH', KEYS[3], ARGV[2])
redis.call('ZADD', KEYS[4], 0, ARGV[6])
redis.call('ZADD', KEYS[5], 0, ARGV[5])
if KEYS[6] then redis.call('SET', KEYS[6], ARGV[1], 'NX') end
return {1, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}`;
const LINK = `local owner = redis.call('HGET', KEYS[1], 'userId')
if owner == ARGV[1] then return {1, redis.call('HGETALL', KEYS[1])} end
if owner then return {2} end
if redis.call('EXISTS', KEYS[3]) == 0 then return {3} end
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('RPUSH', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[4], 0, ARGV[3])
return {0, redis.call('HGETALL', KEYS[1])}`;
const UNLINK = `if redis.call('HGET', KEYS[1], 'userId') ~= ARGV[1] then return {0} end
if redis.call('LLEN', KEYS[2]) < 2 then return {2} end
local removed = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('LREM', KEYS[2], 1, ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[3])
return {1, removed}`;
const LIST = `local out = {}
for i, m in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do out[i] = redis.call('HGETALL', ARGV[1] .. m) end
return out`;
// Also puts the identity and its user in the listings (ZADD NX): accounts stored before the
// listings existed join them at their next sign-in.
const SAVE_TOKENS = `local owner = redis.call('HGET', KEYS[1], 'userId')
if not owner then return 0 end
redis.call('HSET', KEYS[1], 'needsReauth', ARGV[1])
if ARGV[4] then redis.call('HSET', KEYS[1], 'tokens', ARGV[4]) else redis.call('HDEL', KEYS[1], 'tokens') end
redis.call('ZADD', KEYS[2], 'NX', 0, ARGV[2])
local created = redis.call('HGET', ARGV[3] .. owner, 'createdAt')
if created then redis.call('ZADD', KEYS[3], 'NX', 0, created .. '|' .. owner) end
return 1`;
const SAVE_PROFILE = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] then redis.call('HSET', KEYS[1], 'profile', ARGV[1]) else redis.call('HDEL', KEYS[1], 'profile') end
return 1`;
// ARGV[1] is how many scopes to grant, then those, then the ones to revoke. Lua compares bytes,
// as JavaScript's sort does for the ASCII scope values RFC 6749 §3.3 allows.
const UPDATE_SCOPES = `if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
local set = {}
local current = redis.call('HGET', KEYS[1], 'scopes')
if current then for scope in string.gmatch(current, '%S+') do set[scope] = true end end
local n = tonumber(ARGV[1])
for i = 2, n + 1 do set[ARGV[i]] = true end
for i = n + 2, #ARGV do set[ARGV[i]] = nil end
local out = {}
for scope in pairs(set) do out[#out + 1] = scope end
table.sort(out)
if #out > 0 then redis.call('HSET', KEYS[1], 'scopes', table.concat(out, ' ')) else redis.call('HDEL', KEYS[1], 'scopes') end
return {1, out}`;
const UPDATE_USER = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if KEYS[2] then
  local old = redis.call('HGET', KEYS[1], 'emailIndex')
  if old and redis.call('GET', ARGV[1] .. old) == ARGV[2] then redis.call('DEL', ARGV[1] .. old) end
  redis.call('SET', KEYS[2], ARGV[2], 'NX')
end
if #ARGV > 2 then redis.call('HSET', KEYS[1], unpack(ARGV, 3)) end
return 1`;

// Removes the whole account: each identity (from the user's list), its place in its provider's
// listing, the email index when it still names this user, the user's listing entry, the user.
const DELETE_USER = `local user = redis.call('HGETALL', KEYS[1])
if #user == 0 then return {0} end
local removed = {}
for i, m in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  local key = ARGV[1] .. m
  local identity = redis.call('HGETALL', key)
  if #identity > 0 then
    removed[#removed + 1] = identity
    local p = redis.call('HGET', key, 'provider')
    local s = redis.call('HGET', key, 'subject')
    if p and s then
      local escaped = string.gsub(string.gsub(p, '%%', '%%25'), ':', '%%3A')
      redis.call('ZREM', ARGV[3] .. escaped, s)
    end
    redis.call('DEL', key)
  end
end
local index = redis.call('HGET', KEYS[1], 'emailIndex')
if index and redis.call('GET', ARGV[2] .. index) == ARGV[4] then redis.call('DEL', ARGV[2] .. index) end
local created = redis.call('HGET', KEYS[1], 'createdAt')
if created then redis.call('ZREM', KEYS[3], created .. '|' .. ARGV[4]) end
redis.call('DEL', KEYS[1], KEYS[2])
return {1, user, removed}`;
const SET_DISABLED = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] then redis.call('HSETNX', KEYS[1], 'disabledAt', ARGV[1]) else redis.call('HDEL', KEYS[1], 'disabledAt') end
return 1`;
// The users named by ARGV (ids after the key prefix ARGV[1]), in order: empty where gone.
const USERS = `local out = {}
for i = 2, #ARGV do out[i - 1] = redis.call('HGETALL', ARGV[1] .. ARGV[i]) end
return out`;
// The owners of the identity keys in ARGV (after the user key prefix ARGV[1]), in order.
const OWNERS = `local out = {}
for i = 2, #ARGV do
  local owner = redis.call('HGET', ARGV[i], 'userId')
  out[i - 1] = owner and redis.call('HGETALL', ARGV[1] .. owner) or {}
end
return out`;

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

/** `%` and `:` escaped, as DELETE_USER's Lua does too. */
const escape = (part: string): string => part.replace(/%/g, '%25').replace(/:/g, '%3A');
/** Escaped parts, so `a:b` + `c` and `a` + `b:c` cannot name the same identity key. */
const member = (provider: string, subject: string): string =>
  [provider, subject].map(escape).join(':');

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
  const scopes = mergeScopes([], { grant: identity.scopes });
  return flat({ ...fields, profile, scopes: scopes.length > 0 ? scopes.join(' ') : undefined });
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
  const { id, name, email, avatarUrl, createdAt, disabledAt } = h;
  if (id === undefined || createdAt === undefined) return undefined;
  return defined({ id, name, email, avatarUrl, createdAt, disabledAt });
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
    scopes: h.scopes ? h.scopes.split(' ') : undefined,
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
  /** Every user, as `<createdAt>|<id>` members of score 0: newest first is lexicographic. */
  const usersKey = `${prefix}users`;
  /** A provider's subjects, score 0, in lexicographic order (the provider listing). */
  const subjectsKey = (p: string): string => `${prefix}provider-subjects:${escape(p)}`;
  const users = async (ids: string[]): Promise<StoredUser[]> =>
    ids.length === 0
      ? []
      : (await run(USERS, [], [userKey(''), ...ids])).flatMap((h) => toUser(record(h)) ?? []);

  // By SHA-1 (EVALSHA), the text only when the server lacks it (NOSCRIPT): see runScript.
  const run = async (src: string, keys: string[], args: string[]): Promise<unknown[]> => {
    const reply: unknown = await runScript(client, src, keys, args);
    return Array.isArray(reply) ? reply : [reply];
  };

  const store: AccountStore = {
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
      keys.push(usersKey, subjectsKey(provider));
      if (email !== undefined) keys.push(emailIndexKey(email));
      const args = [id, member(provider, subject), userKey(''), String(fields.length)];
      args.push(subject, `${createdAt}|${id}`);
      const idArgs = identityFields(id, identity);
      const [won, idHash, userHash] = await run(CREATE, keys, [...args, ...fields, ...idArgs]);
      const [stored, linked] = [toUser(record(userHash)), toIdentity(record(idHash))];
      return { user: stored ?? incomplete(), identity: linked ?? incomplete(), created: won === 1 };
    },
    async link(userId, identity) {
      const { provider, subject } = identity;
      const idArgs = identityFields(userId, identity);
      const keys = [identityKey(provider, subject), listKey(userId), userKey(userId)];
      keys.push(subjectsKey(provider));
      const args = [userId, member(provider, subject), subject, ...idArgs];
      const [status, hash] = await run(LINK, keys, args);
      if (status === 2) throw new SocialAuthError('identity_in_use');
      // A bug in the caller, not a user-facing condition: an orphan identity would log in no one.
      if (status === 3) throw new Error(`link: there is no user ${userId}`);
      return toIdentity(record(hash)) ?? incomplete();
    },
    async unlink(userId, provider, subject) {
      const keys = [identityKey(provider, subject), listKey(userId), subjectsKey(provider)];
      const args = [userId, member(provider, subject), subject];
      const [status, removed] = await run(UNLINK, keys, args);
      if (status === 2) throw new SocialAuthError('last_identity');
      return status === 1 ? toIdentity(record(removed)) : undefined;
    },
    async listIdentities(userId) {
      const reply = await run(LIST, [listKey(userId)], [`${prefix}identity:`]);
      return reply.flatMap((h) => toIdentity(record(h)) ?? []);
    },
    async saveTokens(provider, subject, tokens, needsReauth) {
      const keys = [identityKey(provider, subject), subjectsKey(provider), usersKey];
      const args = [String(needsReauth), subject, userKey('')];
      await run(SAVE_TOKENS, keys, [...args, ...(tokens === undefined ? [] : [tokens])]);
    },
    async saveProfile(provider, subject, profile) {
      await run(
        SAVE_PROFILE,
        [identityKey(provider, subject)],
        profile === undefined ? [] : [profile],
      );
    },
    async updateScopes(provider, subject, change) {
      const grant = (change.grant ?? []).filter(isScopeToken);
      const args = [String(grant.length), ...grant, ...(change.revoke ?? [])];
      const [status, scopes] = await run(UPDATE_SCOPES, [identityKey(provider, subject)], args);
      return status === 1 ? (Array.isArray(scopes) ? scopes.map(String) : []) : undefined;
    },
    async updateUser(userId, fields) {
      const { name, email, avatarUrl } = fields;
      const keys = [userKey(userId), ...(email === undefined ? [] : [emailIndexKey(email)])];
      const args = userFields({ name, email, avatarUrl });
      await run(UPDATE_USER, keys, [emailIndexKey(''), userId, ...args]);
    },
    async deleteUser(userId) {
      const keys = [userKey(userId), listKey(userId), usersKey];
      const args = [`${prefix}identity:`, emailIndexKey(''), subjectsKey(''), userId];
      const [status, user, removed] = await run(DELETE_USER, keys, args);
      if (status !== 1) return undefined;
      const identities = Array.isArray(removed) ? removed : [];
      return {
        user: toUser(record(user)) ?? incomplete(),
        identities: identities.flatMap((h) => toIdentity(record(h)) ?? []),
      };
    },
    async setDisabled(userId, disabled) {
      const args = disabled ? [new Date().toISOString()] : [];
      const [done] = await run(SET_DISABLED, [userKey(userId)], args);
      return done === 1;
    },
    async listUsers(query) {
      const q = checkQuery(query);
      if (q.by === 'email') return emailPage(store, q.email);
      if (q.by === 'provider') {
        const { provider, subject, limit } = q;
        if (subject !== undefined) {
          const identity = await store.findIdentity(provider, subject);
          const user = identity && (await store.getUser(identity.userId));
          return { users: user ? [user] : [] };
        }
        const from = q.after === undefined ? '-' : `(${q.after}`;
        const subjects = await client.zrange(
          subjectsKey(provider),
          from,
          '+',
          'BYLEX',
          'LIMIT',
          0,
          limit + 1,
        );
        const page = subjects.slice(0, limit);
        const owners =
          page.length === 0
            ? []
            : await run(OWNERS, [], [userKey(''), ...page.map((s) => identityKey(provider, s))]);
        const last = page[page.length - 1];
        return {
          users: owners.flatMap((h) => toUser(record(h)) ?? []),
          ...(subjects.length > limit && last !== undefined && { next: subjectCursor(last) }),
        };
      }
      const { limit, after } = q;
      const from = after === undefined ? '+' : `(${after.createdAt}|${after.id}`;
      const members = await client.zrange(
        usersKey,
        from,
        '-',
        'BYLEX',
        'REV',
        'LIMIT',
        0,
        limit + 1,
      );
      const page = members.slice(0, limit);
      const found = await users(page.map((m) => m.slice(m.indexOf('|') + 1)));
      const last = page[page.length - 1];
      const cut = last === undefined ? -1 : last.indexOf('|');
      const next =
        last === undefined
          ? undefined
          : userCursor({ createdAt: last.slice(0, cut), id: last.slice(cut + 1) });
      return { users: found, ...(members.length > limit && next !== undefined && { next }) };
    },
    async close() {
      if (!given) await closeClient(client);
    },
  };
  return store;
}
