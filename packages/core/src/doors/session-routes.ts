import type { Request, Response, Router } from 'express';
import type { SessionData, Store } from 'express-session';
import { SocialAuthError } from '../errors';
import { route } from './failure';
import { errorBody, wantsJson } from './http';
import type { RouteContext } from './context';
import { destroy } from '../session/middleware';
import { describeSessions, type IndexedSession, type SessionInfo } from '../session/user-sessions';

/** Deletes sessions from the store: their cookies then lead nowhere. */
export async function endSessions(store: Store, sessions: IndexedSession[]): Promise<void> {
  await Promise.all(
    sessions.map(
      (s) =>
        new Promise<void>((resolve, reject) =>
          store.destroy(s.sid, (err?: unknown) => (err ? reject(err) : resolve())),
        ),
    ),
  );
}

/**
 * Ends every session of the signed-in user, this one included (OWASP Session Management:
 * sign out everywhere). Returns how many ended.
 */
export async function signOutEverywhere(req: Request, ctx: RouteContext): Promise<number> {
  if (!req.user) throw new SocialAuthError('unauthenticated');
  const others = (await ctx.index.take(req.user.id)).filter((s) => s.sid !== req.sessionID);
  await endSessions(req.sessionStore, others);
  await destroy(req);
  delete req.user;
  // This session ends too, whether or not the index had it (one from before the index existed).
  return others.length + 1;
}

/**
 * The signed-in user's sessions, as handles (never session ids). Each is read from the store, so
 * the list shows only live sessions with their last touch, and forgets the ones that expired.
 */
export async function listSessions(req: Request, ctx: RouteContext): Promise<SessionInfo[]> {
  if (!req.user) throw new SocialAuthError('unauthenticated');
  const userId = req.user.id;
  const indexed = await ctx.index.list(userId);
  const read = (sid: string) =>
    new Promise<SessionData | null | undefined>((resolve, reject) =>
      req.sessionStore.get(sid, (err: unknown, data) => (err ? reject(err) : resolve(data))),
    );
  const live: IndexedSession[] = [];
  for (const s of indexed) {
    const data = await read(s.sid);
    if (data?.socialauth?.user?.id !== userId) {
      await ctx.index.remove(userId, s.sid);
      continue;
    }
    live.push({ ...s, lastSeenAt: data.socialauth.touchedAt ?? s.createdAt });
  }
  return describeSessions(live, req.sessionID, ctx.config.secret[0]!);
}

/** `POST /logout`, `POST /logout/everywhere`, `GET /sessions`. */
export function sessionRoutes(auth: Router, ctx: RouteContext): void {
  const { config, csrf, fail } = ctx;

  const signedOut = (req: Request, res: Response) => {
    res.clearCookie(config.cookieName, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secure,
    });
    if (wantsJson(req)) res.status(204).end();
    else res.redirect(303, config.afterLogout);
  };

  auth.post(
    '/logout',
    csrf.parse,
    route(fail, 'session_unavailable', async (req, res) => {
      // Signed out already: nothing to protect, nothing to do.
      if (req.user && !csrf.valid(req, config.origin)) {
        fail(req, res, new SocialAuthError('csrf_failed'));
        return;
      }
      if (req.user) await ctx.index.remove(req.user.id, req.sessionID);
      // The old id dies at logout, so the cookie is worthless even if it leaked (SECURITY.md:
      // a new id at logout). Destroyed rather than regenerated: a regenerated session is saved
      // again, and an anonymous POST would then leave a fresh session behind every time.
      await destroy(req);
      signedOut(req, res);
    }),
  );

  auth.post(
    '/logout/everywhere',
    csrf.parse,
    route(fail, 'session_unavailable', async (req, res) => {
      if (!req.user) return fail(req, res, new SocialAuthError('unauthenticated'));
      if (!csrf.valid(req, config.origin))
        return fail(req, res, new SocialAuthError('csrf_failed'));
      await signOutEverywhere(req, ctx);
      signedOut(req, res);
    }),
  );

  auth.get(
    '/sessions',
    route(fail, 'session_unavailable', async (req, res) => {
      res.set('Cache-Control', 'no-store');
      if (!req.user) {
        res.status(401).json(errorBody(new SocialAuthError('unauthenticated')));
        return;
      }
      res.json({ sessions: await listSessions(req, ctx) });
    }),
  );
}
