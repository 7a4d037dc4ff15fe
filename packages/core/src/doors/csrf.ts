import express, { type Request, type RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';

/**
 * Synchronizer-token CSRF protection (OWASP CSRF cheat sheet) for the POST routes, on csrf-sync:
 * the token lives in socialauth's part of the session; forms send `_csrf`, scripts send
 * `X-CSRF-Token`. The request's Origin, when sent, must be this site too.
 */
export interface CsrfProtection {
  /** Parses small form or JSON bodies, for the POST routes only. */
  parse: RequestHandler;
  /** The session's token, created on first use. */
  token(req: Request): string;
  /** True when the request carries the session's token and no foreign Origin. */
  valid(req: Request, origin: string): boolean;
}

export function csrfProtection(): CsrfProtection {
  // Forms and JSON clients alike. A JSON body from another site needs a CORS preflight, and
  // either way the token is still required.
  const form = express.urlencoded({ extended: false, limit: '8kb' });
  const json = express.json({ limit: '8kb' });
  const sync = csrfSync({
    getTokenFromState: (req) => req.session.socialauth?.csrf,
    storeTokenInState: (req, token) => {
      (req.session.socialauth ??= {}).csrf = token ?? undefined;
    },
    getTokenFromRequest: (req) => {
      const header = req.get('x-csrf-token');
      const field = (req.body as { _csrf?: unknown } | undefined)?._csrf;
      return header ?? (typeof field === 'string' ? field : undefined);
    },
  });
  return {
    parse: (req, res, next) => form(req, res, (err) => (err ? next(err) : json(req, res, next))),
    token: (req: Request) => sync.generateToken(req),
    valid(req: Request, origin: string): boolean {
      const sent = req.get('origin');
      if (sent !== undefined && sent !== origin) return false;
      return sync.isRequestValid(req);
    },
  };
}
