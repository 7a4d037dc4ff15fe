import express, { type Router } from 'express';
import type { ResolvedConfig, SocialAuthConfig } from '../config';
import { SocialAuthError } from '../errors';
import type { FlowContext } from '../flow/context';
import { sessionMiddleware } from '../session/middleware';
import { rateLimiter } from '../session/rate-limit';
import { isRedisSessionStore } from '../session/redis-store';
import { accountRoutes } from './account-routes';
import type { RouteContext } from './context';
import { csrfProtection } from './csrf';
import { currentUser } from './current-user';
import { errorHandler, failSafely, route } from './failure';
import { errorBody, renderErrorPage, wantsJson } from './http';
import { createLogin } from './login';
import { oneTapRoutes } from './one-tap-routes';
import { OWN_PATHS, queryGuard } from './query-guard';
import { failureResponse } from './respond';
import { sessionRoutes } from './session-routes';
import { tokenRoutes } from './token-routes';
import { webhookRoutes } from './webhook-routes';

/**
 * The HTTP doors on one Express router: the session and `req.user` for every request, then the
 * routes under `basePath` (browser, JSON, token and webhook), each translating a request into a
 * flow call and its outcome into an answer.
 */
export function httpRouter(
  config: ResolvedConfig,
  flow: FlowContext,
  rateLimit: SocialAuthConfig['rateLimit'],
): Router {
  const { logger, basePath } = config;
  const providers = new Map(config.providers.map((p) => [p.id, p]));
  // The providers that are up: offered when one is down.
  const upProviders = () =>
    config.providers
      .filter((p) => !flow.breakers.isDown(p.id))
      .map((p) => ({ name: p.name, href: `${basePath}/${p.id}` }));
  const { respond, inPlace } = failureResponse(config, flow.access, upProviders);
  const fail = failSafely(respond, logger);

  const ctx: RouteContext = {
    config,
    providers,
    flow,
    csrf: csrfProtection(),
    login: createLogin(config, flow, fail),
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
  // The app's own express-session, when it mounts one, has a store of its own.
  router.use(currentUser(ctx, touchAfterMs, (req) => flow.sessions.use(req.sessionStore)));

  const auth = express.Router();
  router.use(basePath, auth);
  auth.all(
    OWN_PATHS,
    queryGuard((id) => providers.has(id), inPlace),
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
    route(fail, 'invalid_request', (req, res) => {
      // A provider that is down: the providers that are not, to sign in with instead.
      const alternatives = req.query.error === 'provider_unavailable' ? upProviders() : [];
      renderErrorPage(req, res, config, 200, req.query.error, req.query.reason, alternatives);
    }),
  );

  sessionRoutes(auth, ctx);

  const limit = rateLimiter(rateLimit, fail, config.coordination.rateLimitStore('socialauth:rl:'));
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
      '/:provider/one-tap',
    ],
    (req, res, next) =>
      providers.has(String(req.params.provider)) ? limit(req, res, next) : next(),
  );
  webhookRoutes(auth, ctx, rateLimit === false ? undefined : (rateLimit?.windowMs ?? 60_000));
  tokenRoutes(auth, ctx);
  oneTapRoutes(auth, ctx);
  accountRoutes(auth, ctx);
  auth.get('/:provider', ctx.withProvider('session_unavailable', ctx.login.start));
  auth.get('/:provider/callback', ctx.withProvider('session_unavailable', ctx.login.callback));
  auth.post('/:provider/callback', ctx.withProvider('session_unavailable', ctx.login.formCallback));
  // Whatever reached next(err) inside socialauth is answered by the same failure path.
  router.use(errorHandler(fail));
  return router;
}
