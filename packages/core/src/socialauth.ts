import type { Router } from 'express';
import { AccountRules } from './accounts/rules';
import { UserCache } from './accounts/user-cache';
import { resolveConfig, type ResolvedConfig, type SocialAuthConfig } from './config';
import { httpRouter } from './doors/router';
import type { FlowContext } from './flow/context';
import { endUserSessions } from './flow/sign-out';
import { SessionStoreAccess } from './session/store-access';
import { TokenAccess } from './accounts/token-access';
import { refreshLocks } from './tokens/refresh-lock';
import { TokenVault } from './tokens/vault';

/**
 * Social login for an Express app in one line: sessions, routes, state, PKCE, safe redirects,
 * accounts and linking, and provider tokens kept server-side.
 * Throws `SocialAuthError('config_invalid')` at once when the config is wrong, naming each field.
 *
 * Routes (under `basePath`, default `/auth`): `GET /:provider` starts a sign-in,
 * `GET /:provider/callback` finishes it, `POST /logout`, `POST /logout/everywhere`,
 * `GET /session`, `GET /sessions`, `GET /providers`, `GET /csrf`, `POST /:provider/connect`,
 * `POST /:provider/disconnect`, `GET|POST /link`, `POST /:provider/webhook` (the provider's
 * unlink notifications), `POST /:provider/token` (sign-in with a token from the provider's app
 * SDK), `GET /error`.
 *
 * @example
 * ```ts
 * const app = express();
 * app.use(socialAuth({ baseURL: 'http://localhost:3000', secret: process.env.SESSION_SECRET!, providers: [google()] }));
 * app.get('/me', requireAuth(), (req, res) => res.json(req.user));
 * ```
 */
export function socialAuth(input: SocialAuthConfig): SocialAuthRouter {
  const config = resolveConfig(input);
  const flow = services(config);
  const router = httpRouter(config, flow, input.rateLimit);
  for (const p of config.providers) {
    config.logger.info(
      `[socialauth] ${p.name}: register this callback URL in its console: ` +
        `${config.baseURL}${config.basePath}/${p.id}/callback`,
    );
  }
  return Object.assign(router, {
    endSessions: (userId: string) => endUserSessions(flow, userId),
    close: () => config.coordination.close(),
  });
}

/**
 * The composition root: every service built once, from the resolved config, for every door and
 * flow alike.
 */
function services(config: ResolvedConfig): FlowContext {
  const { coordination, accounts } = config;
  const providers = new Map(config.providers.map((p) => [p.id, p]));
  const vault = new TokenVault(config.secret);
  const rules = new AccountRules(accounts, vault, config);
  const access = new TokenAccess(
    accounts,
    vault,
    providers,
    config.hooks,
    refreshLocks(coordination, config.providerTimeout),
  );
  return {
    accounts,
    rules,
    access,
    hooks: config.hooks,
    coordination,
    index: coordination.sessionIndex({
      lifetimeMs: config.maxLifetime,
      maxPerUser: config.maxSessionsPerUser,
    }),
    users: new UserCache(accounts, coordination),
    sessions: new SessionStoreAccess(config.store),
    handleSecret: config.secret[0]!,
    signIn: {
      rules,
      accounts,
      policy: {
        origin: config.origin,
        allowedOrigins: config.allowedOrigins,
        appReturnURLs: config.appReturnURLs,
      },
      afterLogin: config.afterLogin,
      basePath: config.basePath,
    },
  };
}

/** The router {@link socialAuth} returns: mount it with `app.use`. */
export interface SocialAuthRouter extends Router {
  /**
   * Ends every session of a user, for code that runs outside that user's requests (an admin
   * deleting an account, a password reset elsewhere). Resolves to how many sessions ended.
   *
   * @example
   * ```ts
   * const auth = socialAuth(config);
   * app.use(auth);
   * await db.deleteUser(id);
   * await auth.endSessions(id);
   * ```
   */
  endSessions(userId: string): Promise<number>;
  /**
   * Closes what socialauth opened for coordination (a subscriber connection; the client of a
   * `redisCoordination({ url })`), for a graceful shutdown. Session and account stores are the
   * app's to close.
   */
  close(): Promise<void>;
}
