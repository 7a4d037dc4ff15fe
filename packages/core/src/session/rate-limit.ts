import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { RateLimitOptions, ResolvedConfig } from '../config';
import { SocialAuthError } from '../errors';
import { isRedisSessionStore } from './redis-store';

type Fail = (req: Request, res: Response, err: SocialAuthError) => void;

/**
 * express-rate-limit on the start, callback, connect and disconnect routes. With a
 * `redisSession` store the counts live in the same Redis, so every instance shares them.
 * Keyed on `req.ip`: behind a proxy, `trust proxy` is the app's choice.
 */
export function rateLimiter(
  config: ResolvedConfig,
  options: RateLimitOptions | false | undefined,
  fail: Fail,
): RequestHandler {
  if (options === false) return (_req, _res, next) => next();
  const redis = isRedisSessionStore(config.store) ? config.store.redis : undefined;
  const store: Store | undefined = redis
    ? new RedisStore({
        prefix: 'socialauth:rl:',
        sendCommand: (command: string, ...args: string[]) =>
          redis.call(command, ...args) as Promise<RedisReply>,
      })
    : undefined;
  const limiter = rateLimit({
    windowMs: options?.windowMs ?? 60_000,
    limit: options?.limit ?? 60,
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
