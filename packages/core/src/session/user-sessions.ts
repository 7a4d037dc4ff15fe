import { createHmac } from 'node:crypto';
import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './redis-client';

/** One signed-in session of a user, as the index keeps it. Never the session's contents. */
export interface IndexedSession {
  /** The session id: a credential, never shown to anyone. */
  sid: string;
  /** The identity the session signed in with. */
  provider: string;
  subject: string;
  /** The browser's User-Agent at sign-in, cut to 160 characters. */
  device?: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** The session's last touch (lazy: within `touchAfter`), read from the session when listed. */
  lastSeenAt: number;
}

/** A session as the user sees it in a list: an opaque handle instead of the id. */
export interface SessionInfo {
  /** Stable per session, useless as a credential (an HMAC of the id). */
  id: string;
  current: boolean;
  provider: string;
  device?: string;
  /** ISO 8601. */
  createdAt: string;
  lastSeenAt: string;
}

/**
 * Each user's signed-in sessions, so that they can be listed and ended together (disconnect, sign
 * out everywhere, account deletion). Written at sign-in and logout only: an authenticated
 * request, and its lazy touch, cost it nothing.
 *
 * SECURITY.md "Revocation": nothing alive leaves the index. An entry goes when its session's
 * absolute lifetime has passed (it is dead then), when revocation takes it, or when the user has
 * more than `maxPerUser` sessions ({@link MAX_SESSIONS_PER_USER} by default): then `add` returns
 * the oldest, and the caller ends them in the session store.
 */
export interface SessionIndex {
  /** The Redis client when the index lives in Redis. */
  readonly redis?: RedisClient;
  /**
   * Adds a session. On Redis, `also` may queue more commands (the session itself) into the same
   * MULTI: one round trip for a sign-in. Their replies are checked like the index's own.
   * Resolves to the sessions pushed out by the cap, still alive and still listed: the caller
   * ends them, then removes them.
   */
  add(
    userId: string,
    session: IndexedSession,
    also?: (tx: ChainableCommander) => void,
  ): Promise<IndexedSession[]>;
  remove(userId: string, sid: string): Promise<void>;
  list(userId: string): Promise<IndexedSession[]>;
  /** Removes and returns the sessions `match` picks (all when omitted). */
  take(userId: string, match?: (s: IndexedSession) => boolean): Promise<IndexedSession[]>;
}

/**
 * A user's live sessions at most, by default; a sign-in past it signs the oldest out. High
 * enough that an app signing in at every launch (a session left behind each time) never pushes
 * the user's other devices out within a session lifetime; a bound on what one account can make
 * the store keep. Never a silent drop: an entry that left the index while its session lived would
 * survive every sign-out.
 */
export const MAX_SESSIONS_PER_USER = 1000;

/** How long entries live (the sessions' absolute lifetime) and how many a user keeps. */
export interface IndexLimits {
  lifetimeMs: number;
  maxPerUser: number;
}

/**
 * An index entry as Redis keeps it: `[provider, subject, createdAt, device?]`, short enough for
 * Redis's compact hash encoding when the device string is short. (`lastSeenAt` is read from the
 * session itself when listed.) Entries written as objects before are read too.
 */
function encode({ provider, subject, createdAt, device }: Omit<IndexedSession, 'sid'>): string {
  return JSON.stringify(
    device === undefined ? [provider, subject, createdAt] : [provider, subject, createdAt, device],
  );
}

function parse(sid: string, json: string | undefined): IndexedSession | undefined {
  try {
    const s = JSON.parse(json ?? '') as
      Omit<IndexedSession, 'sid'> | [string, string, number, string?];
    if (!Array.isArray(s)) return { ...s, sid };
    const [provider, subject, createdAt, device] = s;
    return {
      sid,
      provider,
      subject,
      createdAt,
      lastSeenAt: createdAt,
      ...(device !== undefined && { device }),
    };
  } catch {
    return undefined;
  }
}

/**
 * Newest first: `keep` (live, within the cap), `evict` (live, past the cap: to be ended) and
 * `expired` (past their absolute lifetime: dead already).
 */
function prune(sessions: IndexedSession[], limits: IndexLimits, now = Date.now()) {
  const sorted = [...sessions].sort((a, b) => b.createdAt - a.createdAt);
  const live = sorted.filter((s) => now - s.createdAt < limits.lifetimeMs);
  const expired = sorted.filter((s) => now - s.createdAt >= limits.lifetimeMs);
  return {
    keep: live.slice(0, limits.maxPerUser),
    evict: live.slice(limits.maxPerUser),
    expired,
  };
}

/** One hash per user in Redis (or a Redis Cluster: one key per command). */
export function redisIndex(redis: RedisClient, limits: IndexLimits): SessionIndex {
  // One hash per user, a field per session; the hash lives as long as its newest session can.
  const key = (userId: string) => `socialauth:user-sessions:${userId}`;
  const entries = (hash: Record<string, string>): IndexedSession[] =>
    Object.keys(hash)
      .map((sid) => parse(sid, hash[sid]))
      .filter((s): s is IndexedSession => s !== undefined);
  const list = async (userId: string) => entries(await redis.hgetall(key(userId)));
  const drop = async (userId: string, sids: string[]) => {
    if (sids.length > 0) await redis.hdel(key(userId), ...sids);
  };
  return {
    redis,
    async add(userId, { sid, ...record }, also) {
      // One round trip: the new entry, the hash's lifetime, and how many entries it holds. Only
      // past the cap is the hash read and pruned (expired entries are dead sessions: they wait
      // for that, or for a list or revocation to skip them).
      const tx = redis.multi();
      also?.(tx);
      const replies = await tx
        .hset(key(userId), sid, encode(record))
        .pexpire(key(userId), limits.lifetimeMs)
        .hlen(key(userId))
        .exec();
      const failed = replies?.find(([e]) => e)?.[0];
      if (!replies || failed) throw failed ?? new Error('socialauth: session index not written');
      if (Number(replies[replies.length - 1]![1]) <= limits.maxPerUser) return [];
      // The evicted stay listed until the caller has ended them: never out of the index alive.
      const { evict, expired } = prune(await list(userId), limits);
      await drop(
        userId,
        expired.map((s) => s.sid),
      );
      return evict;
    },
    remove: (userId, sid) => drop(userId, [sid]),
    async list(userId) {
      return prune(await list(userId), limits).keep;
    },
    async take(userId, match = () => true) {
      // Expired entries too: their sessions are gone, and ending them again is harmless.
      const taken = (await list(userId)).filter(match);
      await drop(
        userId,
        taken.map((s) => s.sid),
      );
      return taken;
    },
  };
}

/** In this process: one instance only. */
export function memoryIndex(limits: IndexLimits): SessionIndex {
  const users = new Map<string, Map<string, IndexedSession>>();
  const of = (userId: string) => users.get(userId) ?? new Map<string, IndexedSession>();
  return {
    add(userId, session) {
      const sessions = of(userId);
      sessions.set(session.sid, session);
      const { keep, evict } = prune([...sessions.values()], limits);
      users.set(userId, new Map([...keep, ...evict].map((s) => [s.sid, s])));
      return Promise.resolve(evict);
    },
    remove(userId, sid) {
      const sessions = users.get(userId);
      sessions?.delete(sid);
      if (sessions?.size === 0) users.delete(userId);
      return Promise.resolve();
    },
    list(userId) {
      return Promise.resolve(prune([...of(userId).values()], limits).keep);
    },
    take(userId, match = () => true) {
      const sessions = users.get(userId);
      const taken = [...(sessions?.values() ?? [])].filter(match);
      for (const s of taken) sessions?.delete(s.sid);
      if (sessions?.size === 0) users.delete(userId);
      return Promise.resolve(taken);
    },
  };
}

/** The list a user sees: handles, not ids (an id in a page is a session anyone could take). */
export function describeSessions(
  sessions: IndexedSession[],
  currentSid: string,
  secret: string,
): SessionInfo[] {
  return sessions.map((s) => ({
    id: sessionHandle(s.sid, secret),
    current: s.sid === currentSid,
    provider: s.provider,
    ...(s.device !== undefined && { device: s.device }),
    createdAt: new Date(s.createdAt).toISOString(),
    lastSeenAt: new Date(s.lastSeenAt).toISOString(),
  }));
}

/** The opaque handle of a session in the user's list: an HMAC of its id, never the id. */
export function sessionHandle(sid: string, secret: string): string {
  return createHmac('sha256', secret)
    .update(`session-handle\0${sid}`)
    .digest('base64url')
    .slice(0, 22);
}
