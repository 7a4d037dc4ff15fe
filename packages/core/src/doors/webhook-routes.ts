import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { SocialAuthError, asSocialAuthError } from '../errors';
import { unlinkFromProvider } from '../flow/unlink';
import type { WebhookEvent } from '../provider/contract';
import type { RouteContext } from './context';
import { describe, logSafe, route } from './failure';
import { sendErrorJson } from './http';
import { endSessions } from './session-routes';

// Kakao's and Naver's notifications are a handful of short fields.
const LIMIT = '4kb';
const parsers = [
  express.urlencoded({ extended: false, limit: LIMIT }),
  express.json({ limit: LIMIT }),
];

/**
 * The body parsers, with their failures (too large, malformed JSON) answered here as JSON: the
 * caller is a provider's server, never a browser to redirect.
 */
const parseBody: RequestHandler = (req, res, next) => {
  const [form, json] = parsers;
  form!(req, res, (err?: unknown) => {
    if (err) return next(err);
    json!(req, res, next);
  });
};

/**
 * `POST /:provider/webhook`: notifications a provider's server sends the app (Kakao's unlink
 * webhook, Naver's unlink notification). The provider plugin proves the call is the provider's
 * (admin key, HMAC signature); then the identity is unlinked as the flow says. No CSRF token:
 * no browser is involved, and nothing is done for a call that fails the plugin's check. The
 * session cookie, if any came along, is not read.
 */
export function webhookRoutes(auth: Router, ctx: RouteContext): void {
  const { config } = ctx;

  const answer = (req: Request, res: Response, err: SocialAuthError) => {
    config.logger.warn(
      `[socialauth] ${logSafe(req.method)} ${logSafe(req.path)}: ${err.code}: ${describe(err)}`,
    );
    void ctx.access.report(err, { provider: String(req.params.provider) });
    if (!res.headersSent) sendErrorJson(res, err);
  };

  auth.post(
    '/:provider/webhook',
    (req, res, next) =>
      parseBody(req, res, (err?: unknown) =>
        err ? answer(req, res, asSocialAuthError(err, 'invalid_request')) : next(),
      ),
    route(ctx.fail, 'session_unavailable', async (req, res) => {
      const plugin = ctx.providers.get(String(req.params.provider));
      if (!plugin?.webhook) {
        answer(req, res, new SocialAuthError('unknown_provider', 'No webhook for this provider'));
        return;
      }
      let event: WebhookEvent;
      try {
        event = await plugin.webhook({
          method: req.method,
          headers: req.headers,
          body: isRecord(req.body) ? req.body : {},
          query: isRecord(req.query) ? req.query : {},
        });
      } catch (err) {
        answer(req, res, asSocialAuthError(err, 'webhook_invalid'));
        return;
      }
      try {
        const outcome = await unlinkFromProvider(
          {
            accounts: config.accounts,
            index: ctx.index,
            hooks: config.hooks,
            endSessions: (sessions) => endSessions(req.sessionStore, sessions),
          },
          plugin.id,
          event.subject,
        );
        if (outcome.kind !== 'unknown') await ctx.users.forget(outcome.identity.userId);
      } catch (err) {
        // Not acknowledged: the provider records a failed delivery, and the log says why.
        answer(req, res, asSocialAuthError(err, 'session_unavailable'));
        return;
      }
      // An unknown subject is acknowledged too: both providers ask for that (the user may never
      // have signed in here, or was removed already), and only the status is read.
      res.status(event.ackStatus).set('Cache-Control', 'no-store').end();
    }),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
