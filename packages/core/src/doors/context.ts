import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { ResolvedConfig } from '../config';
import type { SocialAuthErrorCode } from '../errors';
import type { FlowContext } from '../flow/context';
import type { ProviderPlugin } from '../contract';
import type { CsrfProtection } from './csrf';
import type { FailureHandler } from './failure';
import type { createLogin } from './login';

/** What the doors' route groups share: the flows' services and the HTTP pieces around them. */
export interface RouteContext {
  config: ResolvedConfig;
  providers: ReadonlyMap<string, ProviderPlugin>;
  /** The services every flow takes (built once by the composition root). */
  flow: FlowContext;
  csrf: CsrfProtection;
  login: ReturnType<typeof createLogin>;
  /** The one failure path: never throws. */
  fail: FailureHandler;
  /** A route for a configured provider; its throw or rejection reaches `fail` as `fallback`. */
  withProvider(
    fallback: SocialAuthErrorCode,
    handler: (p: ProviderPlugin, req: Request, res: Response, next: NextFunction) => unknown,
  ): express.RequestHandler;
}
