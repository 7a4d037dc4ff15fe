import type { Request, Response, Router } from 'express';
import { SocialAuthError } from '../errors';
import { safeRedirect } from '../flow/redirect';
import { endOneSession, listSessions, signOut, signOutEverywhere } from '../flow/sign-out';
import type { SessionInfo } from '../session/user-sessions';
import { destroy } from '../session/middleware';
import type { RouteContext } from './context';
import { route } from './failure';
import { clearSessionCookie, errorBody, wantsJson } from './http';

/**
 * Ends every session of the signed-in user, this one included (`req.socialAuth` and the route
 * alike). Returns how many ended.
 */
export async function signOutEverywhereOf(req: Request, ctx: RouteContext): Promise<number> {
  if (!req.user) throw new SocialAuthError('unauthenticated');
  const ended = await signOutEverywhere(ctx.flow, { userId: req.user.id, sid: req.sessionID });
  await destroy(req);
  delete req.user;
  return ended;
}

/** The signed-in user's sessions, as handles (never session ids). */
export function sessionsOf(req: Request, ctx: RouteContext): Promise<SessionInfo[]> {
  if (!req.user) return Promise.reject(new SocialAuthError('unauthenticated'));
  return listSessions(ctx.flow, { userId: req.user.id, sid: req.sessionID });
}

/** `POST /logout`, `POST /logout/everywhere`, `GET /sessions`, `POST /sessions/end`. */
export function sessionRoutes(auth: Router, ctx: RouteContext): void {
  const { config, csrf, fail } = ctx;

  const signedOut = (req: Request, res: Response) => {
    clearSessionCookie(res, config);
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
      await signOut(ctx.flow, { userId: req.user?.id, sid: req.sessionID });
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
      await signOutEverywhereOf(req, ctx);
      signedOut(req, res);
    }),
  );

  // One chosen session of the list: CSRF-checked like every state-changing route. The current
  // one is a sign-out; another ends in the store at once, on every instance.
  auth.post(
    '/sessions/end',
    csrf.parse,
    route(fail, 'session_unavailable', async (req, res) => {
      res.set('Cache-Control', 'no-store');
      if (!req.user) return fail(req, res, new SocialAuthError('unauthenticated'));
      if (!csrf.valid(req, config.origin))
        return fail(req, res, new SocialAuthError('csrf_failed'));
      const handle = (req.body as { session?: unknown } | undefined)?.session;
      const { current } = await endOneSession(ctx.flow, {
        userId: req.user.id,
        sid: req.sessionID,
        handle,
      });
      if (current) {
        await destroy(req);
        delete req.user;
        signedOut(req, res);
        return;
      }
      if (wantsJson(req)) res.json({ sessions: await sessionsOf(req, ctx) });
      else {
        // A page's form may say where to go back to (a path of this site, as every `next`).
        const next = (req.body as { next?: unknown } | undefined)?.next;
        res.redirect(303, safeRedirect(next, ctx.flow.signIn.policy) ?? config.afterLogin);
      }
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
      res.json({ sessions: await sessionsOf(req, ctx) });
    }),
  );
}
