import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SocialAuthError, asSocialAuthError } from '../errors';
import { FLOW_TTL_MS } from '../flow/state';
import type { RouteContext } from './context';
import { RequestApi } from './request-api';

/**
 * Every request through socialauth: `req.user` for a signed-in session (the session's user id,
 * the rest from the user cache), the absolute timeout, the lazy touch, and `req.socialAuth`.
 */
export function currentUser(
  ctx: RouteContext,
  touchAfterMs: number,
  onRequest: (req: Request) => void,
): RequestHandler {
  const { config, fail } = ctx;
  const { users } = ctx.flow;
  /** Signed out: what is left is anonymous and lives as briefly as any anonymous state. */
  function signedOut(req: Request) {
    req.session.socialauth = {};
    req.session.cookie.maxAge = FLOW_TTL_MS;
  }
  function attach(req: Request, next: NextFunction) {
    req.socialAuth = new RequestApi(req, ctx);
    onRequest(req);
    next();
  }
  return (req: Request, res: Response, next: NextFunction) => {
    const data = req.session.socialauth;
    const who = data?.user;
    if (who) {
      const now = Date.now();
      // OWASP Session Management, absolute timeout: activity never carries a sign-in past
      // maxLifetime. A session from before this rule counts from now.
      const endsAt = (data.authenticatedAt ??= now) + config.maxLifetime;
      if (now >= endsAt) {
        signedOut(req);
      } else {
        // Lazy touch: one write per window keeps an active session alive (and its cookie
        // fresh), never past the absolute end; every other request costs the store one read.
        if (now - (data.touchedAt ?? 0) > touchAfterMs) {
          data.touchedAt = now;
          // A session from before the slim session kept the whole user: it shrinks here.
          data.user = { id: who.id, provider: who.provider };
          req.session.touch();
          req.session.cookie.maxAge = Math.min(config.maxAge, endsAt - now);
        }
        const user = users.get(who, now);
        if (!user) {
          users.load(who).then(
            (found) => {
              try {
                // The user is gone from the account store: the session is signed out.
                if (found) req.user = found;
                else signedOut(req);
                attach(req, next);
              } catch (err) {
                // Not left to reject unhandled: it reaches the one failure path.
                fail(req, res, asSocialAuthError(err, 'session_unavailable'));
              }
            },
            (err: unknown) =>
              fail(req, res, new SocialAuthError('session_unavailable', undefined, { cause: err })),
          );
          return;
        }
        req.user = user;
      }
    }
    attach(req, next);
  };
}
