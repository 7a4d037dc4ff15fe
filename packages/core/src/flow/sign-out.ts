import { SocialAuthError } from '../errors';
import {
  describeSessions,
  sessionHandle,
  type IndexedSession,
  type SessionInfo,
} from '../session/user-sessions';
import type { FlowContext } from './context';

/**
 * Signing out of this session: it leaves its user's session list (the door then destroys it, so
 * the old id dies with it).
 */
export async function signOut(
  ctx: Pick<FlowContext, 'index'>,
  input: { userId?: string; sid: string },
): Promise<void> {
  if (input.userId !== undefined) await ctx.index.remove(input.userId, input.sid);
}

/**
 * Ends every other session of the user (OWASP Session Management: sign out everywhere); the door
 * ends this one. Returns how many sessions ended, this one included (whether or not the index had
 * it: one from before the index existed).
 *
 * @example
 * ```ts
 * const ended = await signOutEverywhere(ctx, { userId: 'u1', sid: req.sessionID });
 * ```
 */
export async function signOutEverywhere(
  ctx: Pick<FlowContext, 'index' | 'sessions'>,
  input: { userId: string; sid: string },
): Promise<number> {
  const others = (await ctx.index.take(input.userId)).filter((s) => s.sid !== input.sid);
  await ctx.sessions.end(others);
  return others.length + 1;
}

/**
 * Ends every session of a user from outside that user's requests (an admin deleting an account):
 * the router's `endSessions(userId)`. Returns how many ended.
 */
export async function endUserSessions(
  ctx: Pick<FlowContext, 'index' | 'sessions' | 'users'>,
  userId: string,
): Promise<number> {
  const sessions = await ctx.index.take(userId);
  await ctx.sessions.end(sessions);
  await ctx.users.forget(userId);
  return sessions.length;
}

/**
 * The user's sessions, as handles (never session ids). Each is read from the store, so the list
 * shows only live sessions with their last touch, and forgets the ones that expired.
 */
export async function listSessions(
  ctx: Pick<FlowContext, 'index' | 'sessions' | 'handleSecret'>,
  input: { userId: string; sid: string },
): Promise<SessionInfo[]> {
  const { userId } = input;
  const indexed = await ctx.index.list(userId);
  const live: IndexedSession[] = [];
  for (const s of indexed) {
    const data = await ctx.sessions.read(s.sid);
    if (data?.socialauth?.user?.id !== userId) {
      await ctx.index.remove(userId, s.sid);
      continue;
    }
    live.push({ ...s, lastSeenAt: data.socialauth.touchedAt ?? s.createdAt });
  }
  return describeSessions(live, input.sid, ctx.handleSecret);
}

/**
 * Ends one of the user's sessions, named by its handle from {@link listSessions}: taken from the
 * user's list and ended in the store. Only the user's own list is searched, so another user's
 * session, like an ended one, is `session_not_found`. `current` says it was this very session
 * (the door then destroys it and clears the cookie).
 *
 * @example
 * ```ts
 * const { current } = await endOneSession(ctx, { userId: 'u1', sid: req.sessionID, handle });
 * ```
 */
export async function endOneSession(
  ctx: Pick<FlowContext, 'index' | 'sessions' | 'handleSecret'>,
  input: { userId: string; sid: string; handle: unknown },
): Promise<{ current: boolean }> {
  const { userId, handle } = input;
  if (typeof handle !== 'string' || handle === '') {
    throw new SocialAuthError('invalid_request', 'Name the session to end by its id from the list');
  }
  const found = (await ctx.index.list(userId)).find(
    (s) => sessionHandle(s.sid, ctx.handleSecret) === handle,
  );
  if (!found) throw new SocialAuthError('session_not_found');
  const taken = await ctx.index.take(userId, (s) => s.sid === found.sid);
  const current = found.sid === input.sid;
  if (!current) await ctx.sessions.end(taken);
  return { current };
}
