import type { Request, RequestHandler, Response } from 'express';
import { SocialAuthError } from '../errors';

/**
 * Every path socialauth answers under its base path. The host app's own routes under the same
 * prefix keep whatever query its parser makes.
 */
export const OWN_PATHS = [
  '/:provider', // also /providers, /error, /session, /sessions, /csrf, /logout, /link
  '/logout/everywhere',
  '/sessions/end',
  '/account/export',
  '/:provider/callback',
  '/:provider/connect',
  '/:provider/disconnect',
  '/:provider/token',
  '/:provider/one-tap',
  '/:provider/webhook',
];

/**
 * The door's one check on the query's shape: every value is a single string. Express 4's `qs`
 * turns `?error[toString]=1` into an object and `?state[]=a` into an array, and both Express
 * versions turn a repeated key into an array; no socialauth parameter is ever one of those. Such
 * a request is malformed (400 `invalid_request`) before any route reads it, instead of each
 * route guessing what `String(value)` does with it (an object whose `toString` is not a function
 * throws, and that throw used to be answered as a store outage).
 */
export function queryGuard(
  isProvider: (id: string) => boolean,
  refuse: (req: Request, res: Response, err: SocialAuthError) => void,
): RequestHandler {
  return (req, res, next) => {
    if (!ownRoute(req, isProvider)) {
      next();
      return;
    }
    const bad = malformedParam(req);
    if (bad === undefined) {
      next();
      return;
    }
    refuse(
      req,
      res,
      new SocialAuthError('invalid_request', `The query parameter ${bad} is not one string`),
    );
  };
}

// socialauth's own one-segment routes besides `/:provider`.
const FIXED = new Set(['providers', 'error', 'session', 'sessions', 'csrf', 'logout', 'link']);

/** Whether socialauth answers this path (not a host route that happens to match a pattern). */
function ownRoute(req: Request, isProvider: (id: string) => boolean): boolean {
  const { provider } = req.params as { provider?: unknown };
  if (typeof provider !== 'string') return true; // /logout/everywhere, /sessions/end, /account/export
  if (isProvider(provider)) return true;
  return FIXED.has(provider) && !req.path.slice(1).includes('/');
}

/** The name of the first query parameter that is not a string, if any. */
function malformedParam(req: Request): string | undefined {
  let query: unknown;
  try {
    query = req.query; // a getter in Express 5: a custom parser can throw
  } catch {
    return '(unparsable)';
  }
  if (query === undefined || query === null) return undefined;
  if (typeof query !== 'object') return '(query)';
  for (const [name, value] of Object.entries(query)) {
    if (typeof value !== 'string') return name.slice(0, 64);
  }
  return undefined;
}
