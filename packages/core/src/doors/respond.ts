import type { Request, Response } from 'express';
import type { ResolvedConfig } from '../config';
import type { SocialAuthError } from '../errors';
import type { TokenAccess } from '../accounts/token-access';
import { describe, logSafe, type FailureHandler } from './failure';
import { renderErrorPage, sendErrorJson, wantsJson } from './http';

/**
 * The failure-response policy, one place for every door: log the code (never the URL, which
 * holds the code and state, nor a token response), tell `onError`, then answer: JSON for an API
 * client, the status page for "try again later", else a redirect to the app's error page.
 */
export function failureResponse(
  config: Pick<
    ResolvedConfig,
    'logger' | 'onError' | 'origin' | 'locale' | 'messages' | 'afterLogin' | 'afterLogout'
  >,
  access: Pick<TokenAccess, 'report'>,
  /** The other ways to sign in, for a page answering `provider_unavailable`. */
  alternatives: () => { name: string; href: string }[] = () => [],
) {
  const { logger } = config;
  /**
   * `onError` hears every failed sign-in (start, callback, token sign-in, connect): the code, the
   * provider and the user when signed in. (Refused webhooks are reported by their route.)
   */
  function report(req: Request, err: SocialAuthError): void {
    // A provider that is down: onError heard that once, when it went down, not per request.
    if (err.code === 'provider_unavailable') return;
    const provider = (req.params as { provider?: unknown } | undefined)?.provider;
    if (typeof provider !== 'string' || req.path.endsWith('/disconnect')) return;
    void access.report(err, { provider, userId: req.user?.id });
  }
  function log(req: Request, err: SocialAuthError): void {
    if (err.code === 'provider_unavailable') return; // logged once, at the change
    // CWE-117: method and path escaped (describe() escapes the messages it quotes).
    logger.warn(
      `[socialauth] ${logSafe(req.method)} ${logSafe(req.path)}: ${err.code}: ${describe(err)}`,
    );
  }

  const respond: FailureHandler = (req, res, err) => {
    log(req, err);
    report(req, err);
    if (err.code === 'session_unavailable') {
      // Fail closed: no anonymous fallback, no new cookie, no attempt to save again.
      delete (req as { session?: unknown }).session;
    }
    if (res.headersSent) return;
    if (wantsJson(req)) return sendErrorJson(res, err);
    if (err.status === 503) res.set('Retry-After', '5');
    if (err.status === 429 || err.status === 503) {
      // "Try again later" keeps its status: a redirect would turn it into a 200 page.
      const others = err.code === 'provider_unavailable' ? alternatives() : [];
      renderErrorPage(req, res, config, err.status, err.code, err.reason, others);
      return;
    }
    const target = new URL(config.onError, config.origin);
    target.searchParams.set('error', err.code);
    if (err.reason) target.searchParams.set('reason', err.reason);
    res.redirect(302, target.pathname + target.search);
  };

  /**
   * A malformed query is the client's mistake: a 400 page in place (not the app's error page,
   * which could be the very route that failed), and never mistaken for an outage.
   */
  const inPlace = (req: Request, res: Response, err: SocialAuthError) => {
    log(req, err);
    report(req, err);
    if (wantsJson(req)) sendErrorJson(res, err);
    else renderErrorPage(req, res, config, err.status, err.code);
  };

  return { respond, inPlace };
}
