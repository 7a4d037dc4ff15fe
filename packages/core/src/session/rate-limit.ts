import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import type { RateLimitOptions } from '../config';
import { SocialAuthError } from '../errors';

type Fail = (req: Request, res: Response, err: SocialAuthError) => void;

/**
 * express-rate-limit on the start, callback, connect and disconnect routes. The counts live in
 * the app's coordination (`store`): with a shared one, every instance shares them.
 * Keyed on `req.ip` (an IPv6 address by its `ipv6Subnet` network): behind a proxy,
 * `trust proxy` is the app's choice.
 */
export function rateLimiter(
  options: RateLimitOptions | false | undefined,
  fail: Fail,
  store: Store | undefined,
): RequestHandler {
  if (options === false) return (_req, _res, next) => next();
  const limiter = rateLimit({
    windowMs: options?.windowMs ?? 60_000,
    limit: options?.limit ?? 60,
    // An IPv6 host picks any address of its network: it is counted by the network.
    ipv6Subnet: options?.ipv6Subnet ?? 56,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    ...(store && { store }),
    handler: (req, res) => {
      const reset = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : 60;
      res.set('Retry-After', String(seconds));
      fail(req, res, new SocialAuthError('rate_limited'));
    },
  });
  // Counting failed (Redis down): fail closed, like the session does.
  return (req, res, next) =>
    limiter(req, res, (err?: unknown) =>
      err
        ? fail(req, res, new SocialAuthError('session_unavailable', undefined, { cause: err }))
        : next(),
    );
}
