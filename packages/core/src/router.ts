import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { resolveConfig, type SocialAuthConfig } from './config';
import { SocialAuthError } from './errors';
import { errorBody, renderErrorPage, wantsJson } from './internal/http';
import { createLogin } from './login';
import type { ProviderPlugin } from './provider';
import { regenerate } from './session';
import { sessionMiddleware } from './session';
import { MemoryUsers } from './users';

/**
 * Social login for an Express app in one line: sessions, routes, state, PKCE, safe redirects.
 * Throws `SocialAuthError('config_invalid')` at once when the config is wrong, naming each field.
 *
 * Routes (under `basePath`, default `/auth`): `GET /:provider` starts a sign-in,
 * `GET /:provider/callback` finishes it, `POST /logout`, `GET /session`, `GET /providers`,
 * `GET /error`.
 *
 * @example
 * ```ts
 * const app = express();
 * app.use(socialAuth({ baseURL: 'http://localhost:3000', secret: process.env.SESSION_SECRET!, providers: [google()] }));
 * app.get('/me', requireAuth(), (req, res) => res.json(req.user));
 * ```
 */
export function socialAuth(input: SocialAuthConfig): Router {
  const config = resolveConfig(input);
  const { logger, basePath } = config;

  const fail = (req: Request, res: Response, err: SocialAuthError) => {
    // Code and message only: never the URL (it holds the code and state) or token responses.
    logger.warn(`[socialauth] ${req.method} ${req.path}: ${err.code}: ${describe(err)}`);
    if (res.headersSent) return;
    if (err.status === 503) res.set('Retry-After', '5');
    if (wantsJson(req) || err.code === 'session_unavailable') {
      res.status(err.status).set('Cache-Control', 'no-store').json(errorBody(err));
      return;
    }
    const target = new URL(config.onError, config.origin);
    target.searchParams.set('error', err.code);
    res.redirect(302, target.pathname + target.search);
  };

  const users = new MemoryUsers();
  const login = createLogin(config, users, fail);
  const providers = new Map(config.providers.map((p) => [p.id, p]));

  const router = express.Router();
  router.use(sessionMiddleware(config, fail));
  router.use((req, _res, next) => {
    const user = req.session.socialauth?.user;
    if (user) req.user = user;
    next();
  });

  const auth = express.Router();
  router.use(basePath, auth);

  const withProvider =
    (handler: (p: ProviderPlugin, req: Request, res: Response, next: NextFunction) => unknown) =>
    (req: Request, res: Response, next: NextFunction) => {
      const plugin = providers.get(String(req.params.provider));
      if (!plugin) {
        const err = new SocialAuthError('unknown_provider');
        if (wantsJson(req)) res.status(404).json(errorBody(err));
        else renderErrorPage(res, 404, err.code, config.afterLogin);
        return;
      }
      void handler(plugin, req, res, next);
    };

  auth.get('/providers', (_req, res) => {
    res.json({
      providers: config.providers.map((p) => ({
        id: p.id,
        name: p.name,
        loginURL: `${basePath}/${p.id}`,
      })),
    });
  });

  auth.get('/session', (req, res) => {
    res.set('Cache-Control', 'no-store');
    if (!req.user) {
      res.status(401).json(errorBody(new SocialAuthError('unauthenticated')));
      return;
    }
    res.json({ user: req.user });
  });

  auth.get('/error', (req, res) => renderErrorPage(res, 200, req.query.error, config.afterLogin));

  auth.post('/logout', async (req, res) => {
    if (!sameSiteRequest(req, config.origin)) {
      fail(req, res, new SocialAuthError('csrf_failed'));
      return;
    }
    try {
      // A new id at logout too, so the old cookie is worthless even if it leaked.
      await regenerate(req);
    } catch (err) {
      fail(req, res, new SocialAuthError('session_unavailable', undefined, { cause: err }));
      return;
    }
    res.clearCookie(config.cookieName, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secure,
    });
    if (wantsJson(req)) res.status(204).end();
    else res.redirect(303, config.afterLogout);
  });

  auth.get('/:provider', withProvider(login.start));
  auth.get('/:provider/callback', withProvider(login.callback));

  for (const p of config.providers) {
    logger.info(
      `[socialauth] ${p.name}: register this callback URL in its console: ` +
        `${config.baseURL}${basePath}/${p.id}/callback`,
    );
  }
  return router;
}

/**
 * The messages along an error's cause chain (passport wraps as `oauthError`). Messages only:
 * never `data` or bodies, which can hold what must not be logged.
 */
function describe(err: Error): string {
  const parts: string[] = [];
  let current: unknown = err;
  while (current instanceof Error && parts.length < 4) {
    if (!parts.includes(current.message)) parts.push(current.message.slice(0, 200));
    const next: unknown = current.cause ?? (current as { oauthError?: unknown }).oauthError;
    current = next;
  }
  return parts.join(' <- ');
}

/** Cross-site form posts carry the cookie only with SameSite=None, but check the origin too. */
function sameSiteRequest(req: Request, origin: string): boolean {
  const sent = req.get('origin');
  if (sent !== undefined && sent !== origin) return false;
  return req.get('sec-fetch-site') !== 'cross-site';
}
