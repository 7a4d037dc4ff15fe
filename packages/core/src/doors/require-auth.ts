import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SocialAuthError } from '../errors';
import { errorBody, wantsJson } from './http';

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
