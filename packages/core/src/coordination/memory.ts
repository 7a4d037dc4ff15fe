import { memoryIndex } from '../session/user-sessions';
import type { Coordination } from './types';

/** Marks a coordination made by {@link memoryCoordination}. */
const MEMORY = Symbol.for('socialauth.memoryCoordination');

/**
 * Coordination in this process: right for one instance, and the default without Redis. With
 * several instances, each would keep its own claims, locks, session index and user cache, so a
 * sign-out everywhere on one would leave the user's sessions on the others alive: production
 * refuses it with a shared session store unless `singleInstance: true` says there is only one.
 *
 * @example
 * ```ts
 * socialAuth({ ..., coordination: memoryCoordination(), singleInstance: true });
 * ```
 */
export function memoryCoordination(): Coordination {
  const until = new Map<string, number>();
  let sweepAt = 1024;
  /** Claims and locks are both "key taken until"; expired ones go whenever the map doubled. */
  const take = (key: string, ttlMs: number): boolean => {
    const now = Date.now();
    if (until.size >= sweepAt) {
      for (const [k, end] of until) if (end <= now) until.delete(k);
      sweepAt = Math.max(1024, until.size * 2);
    }
    if ((until.get(key) ?? 0) > now) return false;
    until.set(key, now + ttlMs);
    return true;
  };
  return Object.assign(
    {
      scope: 'process' as const,
      once: (key: string, ttlMs: number) => Promise.resolve(take(`once:${key}`, ttlMs)),
      release(key: string) {
        until.delete(`once:${key}`);
        return Promise.resolve();
      },
      lock(key: string, ttlMs: number) {
        const k = `lock:${key}`;
        if (!take(k, ttlMs)) return Promise.resolve(undefined);
        const end = until.get(k);
        return Promise.resolve(async () => {
          if (until.get(k) === end) until.delete(k); // still ours
        });
      },
      sessionIndex: memoryIndex,
      rateLimitStore: () => undefined,
      // One process: the change was made here, and the user cache already holds it.
      userChanged: () => Promise.resolve(),
      onUserChanged() {},
      listening: () => true,
      close: () => Promise.resolve(),
    },
    { [MEMORY]: true },
  );
}

/** True for a coordination made by {@link memoryCoordination}. */
export function isMemoryCoordination(value: unknown): boolean {
  return typeof value === 'object' && value !== null && MEMORY in value;
}
