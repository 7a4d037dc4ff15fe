import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { SocialAuthError } from '../errors';

export interface RateLimitOptions {
  /** Default 60 000 (one minute). */
  windowMs?: number;
  /** Requests per window. Default 60 (a sign-in is two: start and callback). */
  limit?: number;
  /**
   * How many leading bits of an IPv6 address make one client, 48 to 64. Default 56 (as
   * express-rate-limit's): ISPs delegate a /56 to a home (RIPE-690 §4.2.2), so keying on the
   * /64 would let one home count as 256 clients. Set 64 where many users share a /56 (cellular
   * operators give each device its own /64, RIPE-690 §4.2.4). IPv4 addresses are always
   * counted one by one.
   */
  ipv6Subnet?: number;
}

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
