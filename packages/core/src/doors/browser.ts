import express, { type Request, type Router } from 'express';
import { AccountRules } from '../accounts/rules';
import { UserCache } from '../accounts/user-cache';
import { resolveConfig, type SocialAuthConfig } from '../config';
import { SocialAuthError } from '../errors';
import { sessionMiddleware } from '../session/middleware';
import { rateLimiter } from '../session/rate-limit';
import { isRedisSessionStore } from '../session/redis-store';
import { TokenAccess } from '../tokens/access';
import { refreshLocks } from '../tokens/refresh-lock';
import { TokenVault } from '../tokens/vault';
import { accountRoutes } from './account-routes';
import type { RouteContext } from './context';
import { csrfProtection } from './csrf';
import { describe, errorHandler, failSafely, logSafe, route, type FailureHandler } from './failure';
import { errorBody, renderErrorPage, sendErrorJson, wantsJson } from './http';
import { createLogin } from './login';
import { OWN_PATHS, queryGuard } from './query-guard';
import { currentUser } from './current-user';
import { endSessions, sessionRoutes } from './session-routes';
import { tokenRoutes } from './token-routes';
import { webhookRoutes } from './webhook-routes';

/**
 * Social login for an Express app in one line: sessions, routes, state, PKCE, safe redirects,
 * accounts and linking, and provider tokens kept server-side.
 * Throws `SocialAuthError('config_invalid')` at once when the config is wrong, naming each field.
 *
 * Routes (under `basePath`, default `/auth`): `GET /:provider` starts a sign-in,
 * `GET /:provider/callback` finishes it, `POST /logout`, `POST /logout/everywhere`,
 * `GET /session`, `GET /sessions`, `GET /providers`, `GET /csrf`, `POST /:provider/connect`,
 * `POST /:provider/disconnect`, `GET|POST /link`, `POST /:provider/webhook` (the provider's
 * unlink notifications), `POST /:provider/token` (sign-in with a token from the provider's app
 * SDK), `GET /error`.
 *
 * @example
 * ```ts
 * const app = express();
 * app.use(socialAuth({ baseURL: 'http://localhost:3000', secret: process.env.SESSION_SECRET!, providers: [google()] }));
 * app.get('/me', requireAuth(), (req, res) => res.json(req.user));
 * ```
 */
export function socialAuth(input: SocialAuthConfig): SocialAuthRouter {
  const config = resolveConfig(input);
  const { logger, basePath } = config;
  const providers = new Map(config.providers.map((p) => [p.id, p]));
  const vault = new TokenVault(config.secret);
  const rules = new AccountRules(config.accounts, vault, config);
  const { coordination } = config;
  const access = new TokenAccess(
    config.accounts,
    vault,
    providers,
    config.hooks,
    refreshLocks(coordination, config.providerTimeout),
  );
  const index = coordination.sessionIndex({
    lifetimeMs: config.maxLifetime,
    maxPerUser: config.maxSessionsPerUser,
  });
  const users = new UserCache(config.accounts, coordination);
  let store = config.store;

  const respond: FailureHandler = (req, res, err) => {
    // Code and message only: never the URL (it holds the code and state) or token responses.
    // CWE-117: method and path escaped (describe() escapes the messages it quotes).
    logger.warn(
      `[socialauth] ${logSafe(req.method)} ${logSafe(req.path)}: ${err.code}: ${describe(err)}`,
    );
    reportSignInFailure(req, err);
    if (err.code === 'session_unavailable') {
      // Fail closed: no anonymous fallback, no new cookie, no attempt to save again.
      delete (req as { session?: unknown }).session;
    }
    if (res.headersSent) return;
    if (wantsJson(req)) return sendErrorJson(res, err);
    if (err.status === 503) res.set('Retry-After', '5');
    if (err.status === 429 || err.status === 503) {
      // "Try again later" keeps its status: a redirect would turn it into a 200 page.
      renderErrorPage(req, res, config, err.status, err.code, err.reason);
      return;
    }
    const target = new URL(config.onError, config.origin);
    target.searchParams.set('error', err.code);
    if (err.reason) target.searchParams.set('reason', err.reason);
    res.redirect(302, target.pathname + target.search);
  };
  const fail = failSafely(respond, logger);
  /**
   * `onError` hears every failed sign-in (start, callback, token sign-in, connect): the code, the
   * provider and the user when signed in. (Refused webhooks are reported by their route.)
   */
  function reportSignInFailure(req: Request, err: SocialAuthError): void {
    const provider = (req.params as { provider?: unknown } | undefined)?.provider;
    if (typeof provider !== 'string' || req.path.endsWith('/disconnect')) return;
    void access.report(err, { provider, userId: req.user?.id });
  }

  const ctx: RouteContext = {
    config,
    providers,
    rules,
    access,
    csrf: csrfProtection(),
    login: createLogin(config, rules, fail, index, users),
    index,
    users,
    fail,
    withProvider: (fallback, handler) =>
      route(fail, fallback, (req, res, next) => {
        const plugin = providers.get(String(req.params.provider));
        if (!plugin) {
          const err = new SocialAuthError('unknown_provider');
          if (wantsJson(req)) res.status(404).json(errorBody(err));
          else renderErrorPage(req, res, config, 404, err.code);
          return;
        }
        return handler(plugin, req, res, next);
      }),
  };

  const router = express.Router();
  router.use(sessionMiddleware(config, fail));
  if (isRedisSessionStore(config.store)) config.store.logTo((m) => logger.warn(m));
  const touchAfterMs =
    (isRedisSessionStore(config.store) && config.store.touchAfterMs) || config.maxAge / 10;
  router.use(
    currentUser(ctx, touchAfterMs, (req) => {
      // The app's own express-session, when it mounts one, has a store of its own.
      store = req.sessionStore;
    }),
  );

  const auth = express.Router();
  router.use(basePath, auth);
  // A malformed query is the client's mistake: a 400 page in place (not the app's error page,
  // which could be the very route that failed), and never mistaken for an outage.
  auth.all(
    OWN_PATHS,
    queryGuard(
      (id) => providers.has(id),
      (req, res, err) => {
        logger.warn(
          `[socialauth] ${logSafe(req.method)} ${logSafe(req.path)}: ${err.code}: ${describe(err)}`,
        );
        reportSignInFailure(req, err);
        if (wantsJson(req)) sendErrorJson(res, err);
        else renderErrorPage(req, res, config, err.status, err.code);
      },
    ),
  );

  auth.get(
    '/providers',
    route(fail, 'invalid_request', (_req, res) => {
      res.json({
        providers: config.providers.map((p) => ({
          id: p.id,
          name: p.name,
          loginURL: `${basePath}/${p.id}`,
        })),
      });
    }),
  );

  auth.get(
    '/error',
    route(fail, 'invalid_request', (req, res) =>
      renderErrorPage(req, res, config, 200, req.query.error, req.query.reason),
    ),
  );

  sessionRoutes(auth, ctx);

  const limit = rateLimiter(input.rateLimit, fail, coordination.rateLimitStore('socialauth:rl:'));
  // The routes that write to the store (a flow, a CSRF token) or call a provider.
  auth.get('/csrf', limit);
  // Exact paths (`all`, not `use`): a provider's own servers calling the webhook share addresses
  // and must not be counted as one visitor.
  auth.all(
    [
      '/:provider',
      '/:provider/callback',
      '/:provider/connect',
      '/:provider/disconnect',
      '/:provider/token',
    ],
    (req, res, next) =>
      ctx.providers.has(String(req.params.provider)) ? limit(req, res, next) : next(),
  );
  webhookRoutes(
    auth,
    ctx,
    input.rateLimit === false ? undefined : (input.rateLimit?.windowMs ?? 60_000),
  );
  tokenRoutes(auth, ctx);
  accountRoutes(auth, ctx);
  auth.get('/:provider', ctx.withProvider('session_unavailable', ctx.login.start));
  auth.get('/:provider/callback', ctx.withProvider('session_unavailable', ctx.login.callback));
  // Whatever reached next(err) inside socialauth is answered by the same failure path.
  router.use(errorHandler(fail));

  for (const p of config.providers) {
    logger.info(
      `[socialauth] ${p.name}: register this callback URL in its console: ` +
        `${config.baseURL}${basePath}/${p.id}/callback`,
    );
  }
  return Object.assign(router, {
    async endSessions(userId: string) {
      const sessions = await index.take(userId);
      await endSessions(store, sessions);
      await users.forget(userId);
      return sessions.length;
    },
    close: () => coordination.close(),
  });
}

/** The router {@link socialAuth} returns: mount it with `app.use`. */
export interface SocialAuthRouter extends Router {
  /**
   * Ends every session of a user, for code that runs outside that user's requests (an admin
   * deleting an account, a password reset elsewhere). Resolves to how many sessions ended.
   *
   * @example
   * ```ts
   * const auth = socialAuth(config);
   * app.use(auth);
   * await db.deleteUser(id);
   * await auth.endSessions(id);
   * ```
   */
  endSessions(userId: string): Promise<number>;
  /**
   * Closes what socialauth opened for coordination (a subscriber connection; the client of a
   * `redisCoordination({ url })`), for a graceful shutdown. Session and account stores are the
   * app's to close.
   */
  close(): Promise<void>;
}
