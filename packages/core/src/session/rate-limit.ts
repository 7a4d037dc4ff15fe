import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { RateLimitOptions, ResolvedConfig } from '../config';
import { SocialAuthError } from '../errors';
import type { RedisClient } from './redis-client';
import { isRedisSessionStore } from './redis-store';

type Fail = (req: Request, res: Response, err: SocialAuthError) => void;

/**
 * express-rate-limit on the start, callback, connect and disconnect routes. With a
 * `redisSession` store the counts live in the same Redis, so every instance shares them.
 * Keyed on `req.ip` (an IPv6 address by its `ipv6Subnet` network): behind a proxy,
 * `trust proxy` is the app's choice.
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
        sendCommand: scriptsByValue(redis),
      })
    : undefined;
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

/**
 * rate-limit-redis loads its scripts once (SCRIPT LOAD, a command with no key) and then runs
 * them by SHA. On a Cluster that load lands on one random node, and a failed-over or restarted
 * primary has an empty script cache: here the SHA is computed locally and every EVALSHA is sent
 * as EVAL with its key, so it reaches the key's primary and runs wherever that is (Redis caches
 * the compiled script either way).
 */
function scriptsByValue(redis: RedisClient) {
  const scripts = new Map<string, string>();
  return async (command: string, ...args: string[]): Promise<RedisReply> => {
    const verb = command.toUpperCase();
    if (verb === 'SCRIPT' && args[0]?.toUpperCase() === 'LOAD' && args[1] !== undefined) {
      const sha = createHash('sha1').update(args[1]).digest('hex');
      scripts.set(sha, args[1]);
      return sha;
    }
    const script = verb === 'EVALSHA' ? scripts.get(args[0] ?? '') : undefined;
    if (script !== undefined)
      return redis.call('EVAL', script, ...args.slice(1)) as Promise<RedisReply>;
    return redis.call(command, ...args) as Promise<RedisReply>;
  };
}
