import { createHmac } from 'node:crypto';
import type { Store } from 'express-session';
import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './redis-client';
import { isRedisSessionStore } from './redis-store';

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
 */
export interface SessionIndex {
  /** The Redis client when the index lives in Redis (a `redisSession`'s). */
  readonly redis?: RedisClient;
  /**
   * Adds a session. On Redis, `also` may queue more commands (the session itself) into the same
   * MULTI: one round trip for a sign-in. Their replies are checked like the index's own.
   */
  add(
    userId: string,
    session: IndexedSession,
    also?: (tx: ChainableCommander) => void,
  ): Promise<void>;
  remove(userId: string, sid: string): Promise<void>;
  list(userId: string): Promise<IndexedSession[]>;
  /** Removes and returns the sessions `match` picks (all when omitted). */
  take(userId: string, match?: (s: IndexedSession) => boolean): Promise<IndexedSession[]>;
}

/** Users keep at most this many indexed sessions; the oldest go first. */
const MAX_PER_USER = 50;

/** In the session store's Redis when it is a `redisSession`; otherwise in this process. */
export function sessionIndex(store: Store | undefined, lifetimeMs: number): SessionIndex {
  return isRedisSessionStore(store) ? redisIndex(store.redis, lifetimeMs) : memoryIndex(lifetimeMs);
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

/** Those within their lifetime, newest first, at most MAX_PER_USER. */
function prune(sessions: IndexedSession[], lifetimeMs: number, now = Date.now()) {
  const sorted = [...sessions].sort((a, b) => b.createdAt - a.createdAt);
  const keep = sorted.filter((s) => now - s.createdAt < lifetimeMs).slice(0, MAX_PER_USER);
  const drop = sorted.filter((s) => !keep.includes(s));
  return { keep, drop };
}

function redisIndex(redis: RedisClient, lifetimeMs: number): SessionIndex {
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
      // One round trip: the new entry, the hash's lifetime, and the list to prune.
      const tx = redis.multi();
      also?.(tx);
      const replies = await tx
        .hset(key(userId), sid, encode(record))
        .pexpire(key(userId), lifetimeMs)
        .hgetall(key(userId))
        .exec();
      const failed = replies?.find(([e]) => e)?.[0];
      if (!replies || failed) throw failed ?? new Error('socialauth: session index not written');
      const hash = replies[replies.length - 1]![1];
      const stored = entries(hash as Record<string, string>);
      await drop(
        userId,
        prune(stored, lifetimeMs).drop.map((s) => s.sid),
      );
    },
    remove: (userId, sid) => drop(userId, [sid]),
    async list(userId) {
      return prune(await list(userId), lifetimeMs).keep;
    },
    async take(userId, match = () => true) {
      const taken = (await list(userId)).filter(match);
      await drop(
        userId,
        taken.map((s) => s.sid),
      );
      return taken;
    },
  };
}

function memoryIndex(lifetimeMs: number): SessionIndex {
  const users = new Map<string, Map<string, IndexedSession>>();
  const of = (userId: string) => users.get(userId) ?? new Map<string, IndexedSession>();
  return {
    add(userId, session) {
      const sessions = of(userId);
      sessions.set(session.sid, session);
      const { keep } = prune([...sessions.values()], lifetimeMs);
      users.set(userId, new Map(keep.map((s) => [s.sid, s])));
      return Promise.resolve();
    },
    remove(userId, sid) {
      users.get(userId)?.delete(sid);
      return Promise.resolve();
    },
    list(userId) {
      return Promise.resolve(prune([...of(userId).values()], lifetimeMs).keep);
    },
    take(userId, match = () => true) {
      const sessions = users.get(userId);
      const taken = [...(sessions?.values() ?? [])].filter(match);
      for (const s of taken) sessions?.delete(s.sid);
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

function sessionHandle(sid: string, secret: string): string {
  return createHmac('sha256', secret)
    .update(`session-handle\0${sid}`)
    .digest('base64url')
    .slice(0, 22);
}
