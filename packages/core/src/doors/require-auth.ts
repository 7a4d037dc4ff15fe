import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SocialAuthError } from '../errors';
import { MAX_REAUTH_SECONDS } from '../flow/start';
import { errorBody, wantsJson } from './http';
import { RequestApi } from './request-api';

/** Options for {@link requireAuth}. */
export interface RequireAuthOptions {
  /**
   * Send browsers here (with `?next=` set to the page they asked for) instead of answering 401.
   * API clients (`Accept: application/json`) always get 401 JSON.
   */
  loginPath?: string;
}

/**
 * Lets signed-in requests through (with a typed `req.user`); answers the rest with 401 JSON or
 * a redirect to the login page.
 *
 * @example
 * ```ts
 * app.get('/me', requireAuth(), (req, res) => res.json(req.user));
 * app.get('/profile', requireAuth({ loginPath: '/' }), renderProfile);
 * ```
 */
export function requireAuth(options: RequireAuthOptions = {}): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.user) return next();
    if (options.loginPath && !wantsJson(req)) {
      const target = new URL(options.loginPath, 'http://socialauth.invalid');
      target.searchParams.set('next', req.originalUrl);
      res.redirect(302, target.pathname + target.search);
      return;
    }
    res.status(401).json(errorBody(new SocialAuthError('unauthenticated')));
  };
}

/** `req.socialAuth` with what the guards below need; only socialAuth's router sets it. */
function requestApi(req: Request): RequestApi {
  const api = (req as Partial<Request>).socialAuth;
  if (!(api instanceof RequestApi)) {
    throw new Error('requireScopes and requireRecentLogin run after app.use(socialAuth(config))');
  }
  return api;
}

/** A guard's refusal: a browser goes to `start` (and comes back), an API client gets JSON. */
function sendTo(
  req: Request,
  res: Response,
  start: string,
  err: SocialAuthError,
  detail: Record<string, unknown>,
): void {
  if (!wantsJson(req)) {
    res.redirect(302, start);
    return;
  }
  res
    .status(err.status)
    .set('Cache-Control', 'no-store')
    .json({ ...errorBody(err), ...detail, start });
}

/**
 * Lets a signed-in user through once they granted every one of `scopes` at `provider` (the
 * scope ledger, `req.socialAuth.scopes`). Otherwise a browser is sent to the provider to grant
 * the missing ones (`GET <basePath>/<provider>?scope=...`, each listed in `moreScopes`) and
 * then back here; an API client gets 403 `consent_required` with the missing `scopes` and the
 * `start` path to open. A declined consent changes nothing, and lands on the error page.
 * Anonymous requests get 401 (or `loginPath`), as with {@link requireAuth}.
 *
 * @example
 * ```ts
 * app.get('/checkout', requireScopes('kakao', ['phone_number', 'shipping_address']), checkout);
 * ```
 */
export function requireScopes(
  provider: string,
  scopes: readonly string[],
  options: RequireAuthOptions = {},
): RequestHandler {
  const signedIn = requireAuth(options);
  return (req, res, next) => {
    signedIn(req, res, () => {
      const api = requestApi(req);
      api.scopes(provider).then(
        (granted) => {
          const missing = scopes.filter((s) => !granted.includes(s));
          if (missing.length === 0) return next();
          const start = api.startPath(provider, { scope: missing.join(' ') }, req.originalUrl);
          const err = new SocialAuthError('consent_required');
          sendTo(req, res, start, err, { provider, scopes: missing });
        },
        (err: unknown) => next(err),
      );
    });
  };
}

/** Options for {@link requireRecentLogin}. */
export interface RequireRecentLoginOptions extends RequireAuthOptions {
  /** How long ago the session's sign-in may be, in seconds (at most a day). */
  maxAge: number;
}

/**
 * Lets a signed-in user through when this session's sign-in (`req.socialAuth.authenticatedAt`)
 * is at most `maxAge` seconds old. Otherwise a browser is sent to sign in again at the
 * session's provider, which is asked to authenticate the user again (its own way: OpenID
 * Connect `max_age` with `auth_time` checked, Kakao `prompt=login`, Naver
 * `auth_type=reauthenticate`), and back here; it must be the same user's identity there
 * (`wrong_identity` otherwise, and the session stays as it was). An API client gets 401
 * `recent_login_required` with the `start` path. The session id stays; `authenticatedAt` moves
 * to the new sign-in.
 *
 * @example
 * ```ts
 * app.post('/account/email', requireRecentLogin({ maxAge: 300 }), changeEmail);
 * ```
 */
export function requireRecentLogin(options: RequireRecentLoginOptions): RequestHandler {
  const { maxAge } = options;
  if (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > MAX_REAUTH_SECONDS) {
    throw new SocialAuthError(
      'config_invalid',
      `requireRecentLogin: maxAge must be 0 to ${MAX_REAUTH_SECONDS} seconds, like 300`,
    );
  }
  const signedIn = requireAuth(options);
  return (req, res, next) => {
    signedIn(req, res, () => {
      const api = requestApi(req);
      const at = api.authenticatedAt?.getTime();
      if (at !== undefined && Date.now() - at <= maxAge * 1000) return next();
      // The session's provider, unless that identity was disconnected since: then another of
      // the user's, so the fresh sign-in is one the user can still make.
      const { identities } = req.user!;
      const wanted = api.signInProvider ?? req.user!.provider;
      const provider = identities.some((i) => i.provider === wanted)
        ? wanted
        : (identities[0]?.provider ?? wanted);
      const start = api.startPath(provider, { reauth: maxAge }, req.originalUrl);
      sendTo(req, res, start, new SocialAuthError('recent_login_required'), { provider });
    });
  };
}
