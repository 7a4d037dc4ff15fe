import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { TokenAccess } from '../tokens/access';
import { accountRoutes } from './account-routes';
import { resolveConfig, type ResolvedConfig, type SocialAuthConfig } from '../config';
import { csrfProtection, type CsrfProtection } from './csrf';
import { SocialAuthError, type SocialAuthErrorCode } from '../errors';
import { describe, errorHandler, failSafely, logSafe, route, type FailureHandler } from './failure';
import { errorBody, renderErrorPage, wantsJson } from './http';
import { AccountRules } from '../accounts/rules';
import { createLogin } from './login';
import type { ProviderPlugin } from '../provider';
import { sessionMiddleware } from '../session/middleware';
import { sessionIndex, type SessionIndex, type SessionInfo } from '../session/index';
import { endSessions, listSessions, sessionRoutes, signOutEverywhere } from './session-routes';
import type { SocialAuthRequest } from '../types';
import { rateLimiter } from '../session/rate-limit';
import { FLOW_TTL_MS } from '../flow/state';
import { isRedisSessionStore } from '../session/redis-store';
import { TokenVault } from '../tokens/vault';

/** What the route groups share. */
export interface RouteContext {
  config: ResolvedConfig;
  providers: ReadonlyMap<string, ProviderPlugin>;
  rules: AccountRules;
  access: TokenAccess;
  csrf: CsrfProtection;
  login: ReturnType<typeof createLogin>;
  /** Each user's signed-in sessions. */
  index: SessionIndex;
  /** The one failure path: never throws. */
  fail: FailureHandler;
  /** A route for a configured provider; its throw or rejection reaches `fail` as `fallback`. */
  withProvider(
    fallback: SocialAuthErrorCode,
    handler: (p: ProviderPlugin, req: Request, res: Response, next: NextFunction) => unknown,
  ): express.RequestHandler;
}

/**
 * Social login for an Express app in one line: sessions, routes, state, PKCE, safe redirects,
 * accounts and linking, and provider tokens kept server-side.
 * Throws `SocialAuthError('config_invalid')` at once when the config is wrong, naming each field.
 *
 * Routes (under `basePath`, default `/auth`): `GET /:provider` starts a sign-in,
 * `GET /:provider/callback` finishes it, `POST /logout`, `GET /session`, `GET /providers`,
 * `GET /csrf`, `POST /:provider/connect`, `POST /:provider/disconnect`, `GET|POST /link`,
 * `GET /error`.
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
  const access = new TokenAccess(config.accounts, vault, providers, config.hooks);
  const index = sessionIndex(config.store, config.maxLifetime);
  let store = config.store;

  const respond: FailureHandler = (req, res, err) => {
    // Code and message only: never the URL (it holds the code and state) or token responses.
    // CWE-117: method and path escaped (describe() escapes the messages it quotes).
    logger.warn(
      `[socialauth] ${logSafe(req.method)} ${logSafe(req.path)}: ${err.code}: ${describe(err)}`,
    );
    if (err.code === 'session_unavailable') {
      // Fail closed: no anonymous fallback, no new cookie, no attempt to save again.
      delete (req as { session?: unknown }).session;
    }
    if (res.headersSent) return;
    if (err.status === 503) res.set('Retry-After', '5');
    if (wantsJson(req)) {
      res.status(err.status).set('Cache-Control', 'no-store').json(errorBody(err));
      return;
    }
    if (err.status === 429 || err.status === 503) {
      // "Try again later" keeps its status: a redirect would turn it into a 200 page.
      renderErrorPage(res, err.status, err.code, config.afterLogin, err.reason);
      return;
    }
    const target = new URL(config.onError, config.origin);
    target.searchParams.set('error', err.code);
    if (err.reason) target.searchParams.set('reason', err.reason);
    res.redirect(302, target.pathname + target.search);
  };
  const fail = failSafely(respond, logger);

  const ctx: RouteContext = {
    config,
    providers,
    rules,
    access,
    csrf: csrfProtection(),
    login: createLogin(config, rules, fail, index),
    index,
    fail,
    withProvider: (fallback, handler) =>
      route(fail, fallback, (req, res, next) => {
        const plugin = providers.get(String(req.params.provider));
        if (!plugin) {
          const err = new SocialAuthError('unknown_provider');
          if (wantsJson(req)) res.status(404).json(errorBody(err));
          else renderErrorPage(res, 404, err.code, config.afterLogin);
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
  router.use((req, _res, next) => {
    const data = req.session.socialauth;
    if (data?.user) {
      const now = Date.now();
      // OWASP Session Management, absolute timeout: activity never carries a sign-in past
      // maxLifetime. A session from before this rule counts from now.
      const endsAt = (data.authenticatedAt ??= now) + config.maxLifetime;
      if (now >= endsAt) {
        // Signed out: what is left is anonymous and lives as briefly as any anonymous state.
        req.session.socialauth = {};
        req.session.cookie.maxAge = FLOW_TTL_MS;
      } else {
        req.user = data.user;
        // Lazy touch: one write per window keeps an active session alive (and its cookie
        // fresh), never past the absolute end; every other request costs the store one read.
        if (now - (data.touchedAt ?? 0) > touchAfterMs) {
          data.touchedAt = now;
          req.session.touch();
          req.session.cookie.maxAge = Math.min(config.maxAge, endsAt - now);
        }
      }
    }
    req.socialAuth = new RequestApi(req, ctx);
    // The app's own express-session, when it mounts one, has a store of its own.
    store = req.sessionStore;
    next();
  });

  const auth = express.Router();
  router.use(basePath, auth);

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
      renderErrorPage(res, 200, req.query.error, config.afterLogin, req.query.reason),
    ),
  );

  sessionRoutes(auth, ctx);

  const limit = rateLimiter(config, input.rateLimit, fail);
  // The routes that write to the store (a flow, a CSRF token) or call a provider.
  auth.get('/csrf', limit);
  auth.use(
    ['/:provider', '/:provider/callback', '/:provider/connect', '/:provider/disconnect'],
    (req, res, next) =>
      ctx.providers.has(String(req.params.provider)) ? limit(req, res, next) : next(),
  );
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
      return sessions.length;
    },
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
}

/**
 * `req.socialAuth`. Every request passes through socialAuth, so this is one small object with its
 * methods on the prototype: no closures built per request.
 */
class RequestApi implements SocialAuthRequest {
  constructor(
    private readonly req: Request,
    private readonly ctx: RouteContext,
  ) {}

  private userId(): string {
    if (!this.req.user) throw new SocialAuthError('unauthenticated');
    return this.req.user.id;
  }

  accessToken(provider: string): Promise<string> {
    return Promise.resolve().then(() => this.ctx.access.accessToken(this.userId(), provider));
  }

  async fetch(
    provider: string,
    url: string | URL,
    init: RequestInit = {},
  ): Promise<globalThis.Response> {
    const token = await this.accessToken(provider);
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${token}`);
    return fetch(url, { ...init, headers });
  }

  csrfToken(): string {
    return this.ctx.csrf.token(this.req);
  }

  signOutEverywhere(): Promise<number> {
    return signOutEverywhere(this.req, this.ctx);
  }

  sessions(): Promise<SessionInfo[]> {
    return listSessions(this.req, this.ctx);
  }

  get authenticatedAt(): Date | undefined {
    const at = this.req.user && this.req.session?.socialauth?.authenticatedAt;
    return at ? new Date(at) : undefined;
  }
}
