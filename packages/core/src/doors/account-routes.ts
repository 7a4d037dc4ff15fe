import type { Request, Response, Router } from 'express';
import { SocialAuthError, asSocialAuthError } from '../errors';
import { route } from './failure';
import { errorBody, pageTexts, wantsJson } from './http';
import { maskEmail, maskSubject, renderLinkPage } from './link-page';
import { snapshot } from '../accounts/snapshot';
import { answerPendingLink, disconnect } from '../flow/account';
import { livePendingLink } from '../flow/pending-link';
import { safeRedirect } from '../flow/redirect';
import type { RouteContext } from './context';
import { save } from '../session/middleware';
import { FLOW_TTL_MS } from '../flow/state';

/** Session JSON, CSRF token, connect, disconnect and the pending-link confirmation. */
export function accountRoutes(auth: Router, ctx: RouteContext): void {
  const { config, csrf, fail } = ctx;
  const policy = {
    origin: config.origin,
    allowedOrigins: config.allowedOrigins,
    appReturnURLs: config.appReturnURLs,
  };

  /** Signed in and CSRF-checked, or answered here. */
  const guard = (req: Request, res: Response): string | undefined => {
    if (!req.user) {
      fail(req, res, new SocialAuthError('unauthenticated'));
      return undefined;
    }
    if (!csrf.valid(req, config.origin)) {
      fail(req, res, new SocialAuthError('csrf_failed'));
      return undefined;
    }
    return req.user.id;
  };

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

  auth.get(
    '/link',
    route(fail, 'session_unavailable', (req, res) => {
      const link = livePendingLink(req.session.socialauth?.pendingLink);
      if (wantsJson(req)) {
        res.set('Cache-Control', 'no-store');
        // A pending link lives ten minutes and is spent by its confirmation or cancel: none here
        // is a link that expired or was already used, what `login_expired` says.
        if (!link) {
          res.status(403).json(errorBody(new SocialAuthError('login_expired')));
          return;
        }
        res.json({
          pendingLink: {
            // Signed out, a client starts `GET /auth/<other>?link=<id>` with it, as the page does.
            id: link.id,
            provider: link.provider,
            ...(link.name !== undefined && { name: link.name }),
            ...(link.email !== undefined && { email: maskEmail(link.email) }),
            subject: maskSubject(link.subject),
            canConfirm: req.user?.id === link.userId,
          },
        });
        return;
      }
      if (!link) {
        res.redirect(302, config.afterLogin);
        return;
      }
      renderLinkPage(res, link, {
        basePath: config.basePath,
        providerName: ctx.providers.get(link.provider)?.name ?? link.provider,
        others: config.providers.filter((p) => p.id !== link.provider),
        ...(req.user?.id === link.userId && { csrfToken: csrf.token(req) }),
        texts: pageTexts(req, config),
      });
    }),
  );

  auth.post(
    '/link',
    csrf.parse,
    route(fail, 'session_unavailable', async (req, res) => {
      const userId = guard(req, res);
      if (!userId) return;
      const data = req.session.socialauth!;
      const link = livePendingLink(data.pendingLink);
      delete data.pendingLink;
      try {
        const user = await answerPendingLink(ctx.flow, {
          user: req.user!,
          link,
          confirm: (req.body as { action?: unknown } | undefined)?.action === 'confirm',
        });
        await save(req);
        if (wantsJson(req)) res.json({ identities: user.identities });
        else res.redirect(303, config.afterLogin);
      } catch (err) {
        fail(req, res, asSocialAuthError(err, 'session_unavailable'));
      }
    }),
  );
}
