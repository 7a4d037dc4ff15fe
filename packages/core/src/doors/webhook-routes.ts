import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { SocialAuthError, asSocialAuthError } from '../errors';
import { providerNotice } from '../flow/unlink';
import type { WebhookEvent } from '../contract';
import type { RouteContext } from './context';
import { describe, logSafe, route } from './failure';
import { sendErrorJson } from './http';

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

/** Refused calls one address may make per window before it is answered 429 unheard. */
const REFUSALS_PER_WINDOW = 20;

/**
 * One log line per provider and error code per minute, then how many more there were (CWE-779:
 * a flood of forged calls must not flood the log, and must not vanish from it either).
 */
function refusalLog(warn: (line: string) => void, windowMs = 60_000) {
  const last = new Map<string, { at: number; more: number }>();
  return (key: string, line: string) => {
    const now = Date.now();
    const seen = last.get(key);
    if (seen && now - seen.at < windowMs) {
      seen.more += 1;
      return;
    }
    const more = seen?.more ? ` (and ${seen.more} more like it in the last minute)` : '';
    if (last.size > 1000) last.clear(); // keys are provider:code: only a misuse gets here
    last.set(key, { at: now, more: 0 });
    warn(`${line}${more}`);
  };
}

/**
 * `POST /:provider/webhook`: notifications a provider's server sends the app (Kakao's unlink
 * webhook, Naver's unlink notification). The provider plugin proves the call is the provider's
 * (admin key, HMAC signature); then the identity is unlinked as the flow says. No CSRF token:
 * no browser is involved, and nothing is done for a call that fails the plugin's check. The
 * session cookie, if any came along, is not read.
 */
export function webhookRoutes(auth: Router, ctx: RouteContext, windowMs: number | undefined): void {
  const { config } = ctx;
  const log = refusalLog((line) => config.logger.warn(line));

  const answer = (req: Request, res: Response, err: SocialAuthError) => {
    // Keyed on a configured provider only: a caller picks the path, not how many lines it gets.
    const provider = String(req.params.provider);
    log(
      `${ctx.providers.has(provider) ? provider : '(unknown)'}:${err.code}`,
      `[socialauth] ${logSafe(req.method)} ${logSafe(req.path)}: ${err.code}: ${describe(err)}`,
    );
    void ctx.flow.access.report(err, { provider: String(req.params.provider) });
    if (!res.headersSent) sendErrorJson(res, err);
  };

  // Per source, only refused calls count (a provider's servers share addresses, and their real
  // notifications must always get through); past the limit an address is answered 429 without
  // a check, a log line or an `onError` call. Counted in the coordination: across instances.
  const store = config.coordination.rateLimitStore('socialauth:rl-webhook:');
  const throttle: RequestHandler =
    windowMs === undefined
      ? (_req, _res, next) => next()
      : rateLimit({
          windowMs,
          limit: REFUSALS_PER_WINDOW,
          skipSuccessfulRequests: true,
          standardHeaders: 'draft-7',
          legacyHeaders: false,
          ...(store && { store }),
          handler: (_req, res) => {
            res.set('Retry-After', String(Math.ceil(windowMs / 1000)));
            sendErrorJson(res, new SocialAuthError('rate_limited'));
          },
        });

  // Kakao sends its unlink webhook as a GET or a POST, as the app registered it (Kakao Login >
  // Webhook, "GET/POST", checked 2026-12-02); a plugin refuses the method its provider never uses.
  const handlers: RequestHandler[] = [
    (req, res, next) =>
      throttle(req, res, (err?: unknown) =>
        err ? sendErrorJson(res, new SocialAuthError('session_unavailable')) : next(),
      ),
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
      // Each notification acts once (SECURITY.md "Token sign-in and webhooks"): a replay is
      // acknowledged, as the provider would expect of a delivery, and changes nothing.
      try {
        const outcome = await providerNotice(ctx.flow, plugin.id, event);
        if (outcome.kind === 'replayed') {
          log(
            `${plugin.id}:replay`,
            `[socialauth] ${plugin.id} webhook: a replayed notification was ignored`,
          );
        }
      } catch (err) {
        // Not acknowledged: the provider records a failed delivery, and the log says why. (The
        // flow gave its record back, so a retry of the same notification is acted on.)
        answer(req, res, asSocialAuthError(err, 'session_unavailable'));
        return;
      }
      // An unknown subject is acknowledged too: both providers ask for that (the user may never
      // have signed in here, or was removed already), and only the status is read.
      res.status(event.ackStatus).set('Cache-Control', 'no-store').end();
    }),
  ];
  auth.get('/:provider/webhook', ...handlers);
  auth.post('/:provider/webhook', ...handlers);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
