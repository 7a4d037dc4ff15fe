import type { Router } from 'express';
import { SocialAuthError, asSocialAuthError } from '../errors';
import { route } from './failure';
import { errorBody, wantsJson } from './http';
import { snapshot } from '../accounts/snapshot';
import { disconnect } from '../flow/account';
import { exportAccount } from '../flow/export';
import { safeRedirect } from '../flow/redirect';
import type { RouteContext } from './context';
import { save } from '../session/middleware';
import { signedInWithCsrf } from './guard';
import { linkRoutes } from './link-routes';
import { deleteRoutes } from './delete-routes';
import { FLOW_TTL_MS } from '../flow/state';

/** Session JSON, CSRF token, connect, disconnect and (link-routes.ts) the pending link. */
export function accountRoutes(auth: Router, ctx: RouteContext): void {
  const { config, csrf, fail } = ctx;
  const policy = {
    origin: config.origin,
    allowedOrigins: config.allowedOrigins,
    appReturnURLs: config.appReturnURLs,
  };

  const guard = signedInWithCsrf(ctx);

  // The user's data, for a data-access request: a download, never cached.
  auth.get(
    '/account/export',
    route(fail, 'session_unavailable', async (req, res) => {
      res.set('Cache-Control', 'no-store');
      const { user } = req;
      // A user gone from the store meanwhile has nothing to export: as signed out.
      const data = user && (await exportAccount(ctx.flow, { userId: user.id, sid: req.sessionID }));
      if (!data) {
        res.status(401).json(errorBody(new SocialAuthError('unauthenticated')));
        return;
      }
      res.set('Content-Disposition', 'attachment; filename="account.json"').json(data);
    }),
  );

  auth.get(
    '/session',
    route(fail, 'session_unavailable', async (req, res) => {
      res.set('Cache-Control', 'no-store');
      if (!req.user) {
        res.status(401).json(errorBody(new SocialAuthError('unauthenticated')));
        return;
      }
      try {
        // The store's list, not the cached copy: another device may have linked or unlinked.
        // (Not put back in the cache: a change made meanwhile must not be overwritten.)
        const user = await snapshot(config.accounts, req.user, req.user.provider);
        res.json({ user, identities: user.identities });
      } catch (err) {
        fail(req, res, new SocialAuthError('session_unavailable', undefined, { cause: err }));
      }
    }),
  );

  auth.get(
    '/csrf',
    route(fail, 'session_unavailable', async (req, res) => {
      res.set('Cache-Control', 'no-store');
      const csrfToken = csrf.token(req);
      // OWASP Session Management: anonymous state is short-lived. A visitor's token lives as
      // long as a sign-in in flight would, not as long as a signed-in session.
      if (!req.user) req.session.cookie.maxAge = FLOW_TTL_MS;
      try {
        await save(req);
        res.json({ csrfToken });
      } catch (err) {
        fail(req, res, new SocialAuthError('session_unavailable', undefined, { cause: err }));
      }
    }),
  );

  auth.post(
    '/:provider/connect',
    csrf.parse,
    ctx.withProvider('session_unavailable', (plugin, req, res, next) => {
      const userId = guard(req, res);
      if (userId) ctx.login.start(plugin, req, res, next, userId);
    }),
  );

  auth.post(
    '/:provider/disconnect',
    csrf.parse,
    ctx.withProvider('session_unavailable', async (plugin, req, res) => {
      const userId = guard(req, res);
      if (!userId) return;
      const body = req.body as { subject?: unknown; next?: unknown } | undefined;
      const subject = typeof body?.subject === 'string' ? body.subject : undefined;
      try {
        // Sessions that signed in through the removed identity end with it; this one stays
        // (its user is here, and just proved it with the CSRF token).
        const { removed, user } = await disconnect(ctx.flow, {
          user: req.user!,
          provider: plugin.id,
          subject,
          keepSid: req.sessionID,
        });
        if (wantsJson(req))
          res.json({
            removed: { provider: removed.provider, subject: removed.subject },
            identities: user.identities,
          });
        else
          res.redirect(
            303,
            safeRedirect(body?.next ?? req.query.next, policy) ?? config.afterLogin,
          );
      } catch (err) {
        fail(req, res, asSocialAuthError(err, 'session_unavailable'));
      }
    }),
  );

  linkRoutes(auth, ctx, guard);
  deleteRoutes(auth, ctx, guard);
}
