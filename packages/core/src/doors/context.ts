import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { AccountRules } from '../accounts/rules';
import type { UserCache } from '../accounts/user-cache';
import type { ResolvedConfig } from '../config';
import type { SocialAuthErrorCode } from '../errors';
import type { ProviderPlugin } from '../provider/contract';
import type { SessionIndex } from '../session/user-sessions';
import type { TokenAccess } from '../tokens/access';
import type { CsrfProtection } from './csrf';
import type { FailureHandler } from './failure';
import type { createLogin } from './login';

/** What the browser door's route groups share. */
export interface RouteContext {
  config: ResolvedConfig;
  providers: ReadonlyMap<string, ProviderPlugin>;
  rules: AccountRules;
  access: TokenAccess;
  csrf: CsrfProtection;
  login: ReturnType<typeof createLogin>;
  /** `req.user` for each session's user, read from the account store once per TTL. */
  users: UserCache;
  /** Each user's signed-in sessions. */
  index: SessionIndex;
  /** The one failure path: never throws. */
  fail: FailureHandler;
  /** A route for a configured provider; its throw or rejection reaches `fail` as `fallback`. */
  withProvider(
    fallback: SocialAuthErrorCode,
    handler: (p: ProviderPlugin, req: Request, res: Response, next: NextFunction) => unknown,
  ): express.RequestHandler;
}
