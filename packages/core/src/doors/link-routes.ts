import type { Router } from 'express';
import { SocialAuthError, asSocialAuthError } from '../errors';
import { answerPendingLink } from '../flow/account';
import { livePendingLink } from '../flow/pending-link';
import { save } from '../session/middleware';
import type { Guard } from './guard';
import type { RouteContext } from './context';
import { route } from './failure';
import { errorBody, pageTexts, wantsJson } from './http';
import { maskEmail, maskSubject, renderLinkPage } from './link-page';

/**
 * `GET /link` (the pending link as a page or JSON) and `POST /link` (its owner confirms or
 * cancels; the answer is the flow's `answerPendingLink`).
 */
export function linkRoutes(auth: Router, ctx: RouteContext, guard: Guard): void {
  const { config, csrf, fail } = ctx;

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
