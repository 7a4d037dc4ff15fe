import type { Request, Response } from 'express';
import { SocialAuthError } from '../errors';
import type { RouteContext } from './context';

/** The user id of a signed-in, CSRF-checked request, or `undefined` once answered with the error. */
export type Guard = (req: Request, res: Response) => string | undefined;

/** A guard for the routes that change the account: signed in, and the CSRF token checked. */
export function signedInWithCsrf({ config, csrf, fail }: RouteContext): Guard {
  return (req, res) => {
    if (!req.user) {
      fail(req, res, new SocialAuthError('unauthenticated'));
      return undefined;
    }
    if (!csrf.valid(req, config.origin)) {
      fail(req, res, new SocialAuthError('csrf_failed'));
      return undefined;
    }
    return req.user.id;
  };
}
