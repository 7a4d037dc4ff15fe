import type { Request, Response, Router } from 'express';
import { SocialAuthError, asSocialAuthError } from '../errors';
import { deleteAccount } from '../flow/delete-account';
import { destroy } from '../session/middleware';
import type { RouteContext } from './context';
import { route } from './failure';
import type { Guard } from './guard';
import { clearSessionCookie, escapeHtml, pageTexts, sendPage, wantsJson } from './http';
import { maskEmail } from './link-page';

/**
 * `GET <basePath>/account/delete`, the confirmation page (Korean or English: what goes, which
 * accounts are disconnected, a CSRF-checked button), and `POST <basePath>/account/delete`, which
 * deletes the signed-in user's account (`deleteAccount`) and answers a page or JSON.
 */
export function deleteRoutes(auth: Router, ctx: RouteContext, guard: Guard): void {
  const { config, csrf, fail } = ctx;

  auth.get(
    '/account/delete',
    route(fail, 'session_unavailable', async (req, res) => {
      if (!req.user) return fail(req, res, new SocialAuthError('unauthenticated'));
      const { t, locale } = pageTexts(req, config);
      const identities = await ctx.flow.accounts.listIdentities(req.user.id);
      const items = identities
        .map((i) => {
          const name = ctx.providers.get(i.provider)?.name ?? i.provider;
          const email = i.email === undefined ? '' : ` · ${maskEmail(i.email)}`;
          return `<li>${escapeHtml(name + email)}</li>`;
        })
        .join('');
      sendPage(
        res,
        200,
        t('delete.title'),
        `<p id="intro">${escapeHtml(t('delete.intro'))}</p>` +
          `<p>${escapeHtml(t('delete.identities'))}</p><ul id="identities">${items}</ul>` +
          `<form method="post" action="${config.basePath}/account/delete">` +
          `<input type="hidden" name="_csrf" value="${escapeHtml(csrf.token(req))}">` +
          `<button type="submit">${escapeHtml(t('delete.confirm'))}</button> ` +
          `<a href="${escapeHtml(config.afterLogin)}">${escapeHtml(t('delete.cancel'))}</a></form>`,
        locale,
        { form: true },
      );
    }),
  );

  auth.post(
    '/account/delete',
    csrf.parse,
    route(fail, 'session_unavailable', async (req, res) => {
      const userId = guard(req, res);
      if (!userId) return;
      let deletion;
      try {
        deletion = await deleteAccount(ctx.flow, userId);
      } catch (err) {
        // The app's own hook failing is a deletion that did not happen, not a sign-in outage.
        return fail(req, res, asSocialAuthError(err, 'deletion_failed'));
      }
      await signedOut(req, res, ctx);
      if (wantsJson(req)) {
        res.json({
          deleted: true,
          identities: deletion.identities.map(({ provider, revoke }) => ({ provider, revoke })),
          sessionsEnded: deletion.sessionsEnded,
        });
        return;
      }
      const { t, locale } = pageTexts(req, config);
      sendPage(
        res,
        200,
        t('delete.doneTitle'),
        `<p id="message">${escapeHtml(t('delete.done'))}</p>` +
          `<p><a href="${escapeHtml(config.afterLogout)}">${escapeHtml(t('page.backSignedOut'))}</a></p>`,
        locale,
      );
    }),
  );
}

/** This session, already ended in the store, is not saved again, and its cookie goes. */
async function signedOut(req: Request, res: Response, ctx: RouteContext): Promise<void> {
  await destroy(req);
  delete req.user;
  clearSessionCookie(res, ctx.config);
}
