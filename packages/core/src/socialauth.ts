import type { Router } from 'express';
import { AccountRules } from './accounts/rules';
import { UserCache } from './accounts/user-cache';
import { resolveConfig, type ResolvedConfig, type SocialAuthConfig } from './config';
import { httpRouter } from './doors/router';
import type { FlowContext } from './flow/context';
import { endUserSessions } from './flow/sign-out';
import { deleteAccount, type DeleteOptions } from './flow/delete-account';
import { disableUser, enableUser, listUsers, readUser } from './flow/admin';
import type { AccountDeletion } from './accounts/hooks';
import type { UserPage, UserQuery } from './accounts/types';
import type { AccountExport } from './flow/export';
import { SessionStoreAccess } from './session/store-access';
import { TokenAccess } from './accounts/token-access';
import { refreshLocks } from './tokens/refresh-lock';
import { TokenVault } from './tokens/vault';
import { ProviderBreakers } from './net/breaker';
import { SocialAuthError } from './errors';
import type { ProviderPlugin } from './contract';

/**
 * Social login for an Express app in one line: sessions, routes, state, PKCE, safe redirects,
 * accounts and linking, and provider tokens kept server-side.
 * Throws `SocialAuthError('config_invalid')` at once when the config is wrong, naming each field.
 *
 * Routes (under `basePath`, default `/auth`): `GET /:provider` starts a sign-in,
 * `GET /:provider/callback` finishes it, `POST /logout`, `POST /logout/everywhere`,
 * `GET /session`, `GET /sessions`, `GET /providers`, `GET /csrf`, `POST /:provider/connect`,
 * `POST /:provider/disconnect`, `GET|POST /link`, `GET /account/export`,
 * `GET|POST /account/delete` (the confirmation page; the deletion), `POST /:provider/webhook` (the provider's
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
  const deleteUser = (userId: string, options?: DeleteOptions) =>
    deleteAccount(flow, userId, options);
  return Object.assign(router, {
    endSessions: (userId: string) => endUserSessions(flow, userId),
    deleteUser,
    admin: {
      list: (query?: UserQuery) => listUsers(flow, query),
      get: (userId: string) => readUser(flow, userId),
      disable: (userId: string) => disableUser(flow, userId),
      enable: (userId: string) => enableUser(flow, userId),
      delete: deleteUser,
    },
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
  const breakers = outageBreakers(config, providers);
  const access = new TokenAccess(
    accounts,
    vault,
    providers,
    config.hooks,
    refreshLocks(coordination, config.providerTimeout),
    breakers,
  );
  return {
    breakers,
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
   * Deletes a user's account, as the user's own `POST <basePath>/account/delete` does: the
   * app's `beforeDeleteUser` first, every identity revoked at its provider, every session ended,
   * then the user, identities, tokens and provider data removed from the account store at once.
   * A provider that cannot be reached stops it with `deletion_failed` and the account as it was
   * (retry later), unless `{ force: true }`. Other errors: `user_not_found`,
   * `deletion_in_progress`, `deletion_refused` (the hook's veto).
   *
   * @example
   * ```ts
   * const { identities, sessionsEnded } = await auth.deleteUser(userId);
   * ```
   */
  deleteUser(userId: string, options?: DeleteOptions): Promise<AccountDeletion>;
  /**
   * For the app's own admin pages (functions, not routes: guard them yourself).
   *
   * @example
   * ```ts
   * const { users, next } = await auth.admin.list({ provider: 'kakao', limit: 50 });
   * const more = next && (await auth.admin.list({ provider: 'kakao', limit: 50, cursor: next }));
   * const one = await auth.admin.get(users[0]!.id); // identities, scopes, sessions
   * await auth.admin.disable(one!.user.id); // ends its sessions; sign-in is account_disabled
   * ```
   */
  admin: SocialAuthAdmin;
  /**
   * Closes what socialauth opened for coordination (a subscriber connection; the client of a
   * `redisCoordination({ url })`), for a graceful shutdown. Session and account stores are the
   * app's to close.
   */
  close(): Promise<void>;
}

/** The admin functions of {@link SocialAuthRouter.admin}. */
export interface SocialAuthAdmin {
  /**
   * One page of users: every user newest first, or by `email` (the verified one), or by
   * `provider` (and `subject`). Follow `next` for the next page; `invalid_request` for a bad
   * query or cursor.
   */
  list(query?: UserQuery): Promise<UserPage>;
  /** One user as an export shows it (identities without tokens, scopes, sessions), or none. */
  get(userId: string): Promise<AccountExport | undefined>;
  /**
   * Disables the user: its sessions end at once (resolves to how many), and sign-in is refused
   * with `account_disabled` until `enable`. `user_not_found` when there is none.
   */
  disable(userId: string): Promise<number>;
  /** Lets a disabled user sign in again. */
  enable(userId: string): Promise<void>;
  /** {@link SocialAuthRouter.deleteUser}. */
  delete(userId: string, options?: DeleteOptions): Promise<AccountDeletion>;
}

/**
 * The outage breakers: each provider's state change logged and told to `onError` once (not per
 * request). With `outage: false`, a breaker that never opens.
 */
function outageBreakers(
  config: ResolvedConfig,
  providers: ReadonlyMap<string, ProviderPlugin>,
): ProviderBreakers {
  const options = config.outage === false ? { failures: Number.MAX_SAFE_INTEGER } : config.outage;
  return new ProviderBreakers(options, (provider, change) => {
    const name = providers.get(provider)?.name ?? provider;
    const message =
      change === 'down'
        ? `${name} is not answering: its sign-ins answer at once with provider_unavailable for a moment`
        : `${name} answers again`;
    const err = new SocialAuthError('provider_unavailable', message, { reason: change });
    try {
      config.logger.warn(`[socialauth] ${message}`);
    } catch {
      // a logger that throws must not take a sign-in with it
    }
    void Promise.resolve()
      .then(() => config.hooks.onError?.(err, { provider }))
      .catch(() => undefined);
  });
}
