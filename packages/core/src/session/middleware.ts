import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import { SocialAuthError } from '../errors';
import { bearerAsCookie } from './bearer';
import { sessionLayer, trackSaves } from './session-layer';

/** What the session middleware uses of the resolved configuration. */
export interface SessionOptions {
  cookieName: string;
  secret: string[];
  store: session.Store;
  secure: boolean;
  maxAge: number;
  logger: Pick<Console, 'warn'>;
}

/**
 * The session middleware socialauth mounts, or a pass-through when the app already mounted
 * express-session itself (`req.session` exists): then socialauth uses the app's session.
 * A store failure is reported as `session_unavailable` (503), never as an anonymous request.
 */
export function sessionMiddleware(
  config: SessionOptions,
  onStoreError: (req: Request, res: Response, err: SocialAuthError) => void,
): RequestHandler {
  // express-session itself only makes the store's `generate` (new sessions, regenerate); the
  // requests go through the same cycle with a cheaper change detection (session-layer.ts).
  session({
    name: config.cookieName,
    secret: config.secret,
    store: config.store,
    resave: false,
    // No cookie and no store write for visitors who never start a sign-in.
    saveUninitialized: false,
    cookie: {
      httpOnly: true,
      // Lax, not Strict: the provider's redirect back to the callback is a cross-site navigation.
      sameSite: 'lax',
      secure: config.secure,
      path: '/',
      maxAge: config.maxAge,
    },
  });
  const layer = sessionLayer({
    name: config.cookieName,
    secrets: config.secret,
    store: config.store,
  });
  let warnedProxy = false;
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.session) return next();
    // Apps send the session as a bearer token; only requests that carry one pay for the check.
    if (req.headers.authorization !== undefined) bearerAsCookie(req, config.cookieName);
    if (config.secure && !req.secure && !warnedProxy) {
      warnedProxy = true;
      config.logger.warn(
        `[socialauth] baseURL is https but a request arrived over http, so the Secure session ` +
          `cookie will not be set. Behind a TLS proxy, call app.set('trust proxy', 1).`,
      );
    }
    layer(req, res, (err?: unknown) => {
      if (err)
        onStoreError(
          req,
          res,
          new SocialAuthError('session_unavailable', undefined, { cause: err }),
        );
      else next();
    });
  };
}

/** Promisified session operations, so flow code reads top to bottom. */
export function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((err) => (err ? reject(err) : resolve())),
  );
}

export function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.save((err) => (err ? reject(err) : resolve())),
  );
}

/**
 * Saves a session express-session did not create itself (one `regenerate` made), and spares it
 * the second write at the end of the response: to change detection a regenerated session always
 * looks new, so it is saved again only if it changed since.
 */
export async function saveOnce(req: Request): Promise<void> {
  trackSaves(req.session);
  await save(req);
}

export function destroy(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.destroy((err) => (err ? reject(err) : resolve())),
  );
}
