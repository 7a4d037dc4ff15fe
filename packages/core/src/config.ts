import { MemoryStore, type Store } from 'express-session';
import type { AccountStore } from './accounts/types';
import { memoryAccounts } from './accounts/memory';
import { isScopeToken } from './accounts/scopes';
import type { SocialAuthHooks } from './accounts/hooks';
import type { LocaleSetting, MessageOverrides } from './locale';
import type { ProviderPlugin } from './contract';

import type { Coordination } from './coordination/types';
import { memoryCoordination } from './coordination/memory';
import { redisCoordination } from './coordination/redis';
import { productionProblems } from './config-production';
import { CLOSE_WITH, isRedisSessionStore } from './session/redis-store';
import { MAX_SESSIONS_PER_USER } from './session/user-sessions';
import { DAY, fail, schema } from './config-schema';
import type { RateLimitOptions } from './session/rate-limit';
import type { OutageOptions } from './net/breaker';
export type { RateLimitOptions } from './session/rate-limit';

/** Per client IP, over the sign-in routes together. */

/** Where socialauth writes its start-up and failure lines. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Options for {@link socialAuth}.
 *
 * @example
 * ```ts
 * const config: SocialAuthConfig = {
 *   baseURL: 'https://app.example.com',
 *   secret: process.env.SESSION_SECRET!,
 *   providers: [google()],
 * };
 * ```
 */
export interface SocialAuthConfig {
  /** This site's public origin, e.g. `https://app.example.com`; callback URLs are built from it. */
  baseURL: string;
  /** At least 32 characters; signs the session cookie. A list (newest first) allows rotation. */
  secret: string | string[];
  /** One entry per provider, e.g. `[google(), naver(), kakao()]`. */
  providers: ProviderPlugin[];
  /** Where the routes are mounted. Default `/auth`. */
  basePath?: string;
  session?: {
    /** An express-session store. Default: memory (development only; refused in production). */
    store?: Store;
    /** Cookie name. Default `socialauth.sid`. */
    cookieName?: string;
    /**
     * Idle lifetime of a signed-in session in milliseconds, renewed by activity (lazy touch).
     * Default 14 days.
     */
    maxAge?: number;
    /**
     * Absolute lifetime of a signed-in session in milliseconds, counted from the sign-in: no
     * activity extends it. Default 30 days.
     */
    maxLifetime?: number;
    /**
     * Sessions one user may have at once; a sign-in past it signs the oldest out (`3` for "at
     * most three devices"). Default 1000: an app that signs in at every launch never pushes the
     * user's other devices out.
     */
    maxSessionsPerUser?: number;
  };
  redirects?: {
    /** Where to go after login when `next` is absent or unsafe. Default `/`. */
    afterLogin?: string;
    /** Where to go after logout. Default `/`. */
    afterLogout?: string;
    /** Where a failed login lands, with `?error=<code>`. Default: socialauth's own error page. */
    onError?: string;
    /** Other origins `next` may point to, e.g. `['https://admin.example.com']`. */
    allowedOrigins?: string[];
    /**
     * Native apps: exact prefixes a `next` may start with to land in the app after sign-in, e.g.
     * `['com.example.app:/signed-in', 'https://app.example.com/app/']` (a custom scheme or a
     * universal link). The app then reads the outcome with `GET /auth/session`.
     */
    appReturnURLs?: string[];
  };
  /** Default `console`; `false` silences socialauth. */
  logger?: Logger | false;
  /** Users and identities. Default: memory (development only; refused in production). */
  accounts?: AccountStore;
  /**
   * What the app's instances share: single-use sign-in state and app tokens, refresh locks, each
   * user's session list (sign out everywhere, disconnect, webhooks), rate limits and user-cache
   * invalidation. Default: the Redis of a `redisSession` store, else this process
   * ({@link memoryCoordination}). With another shared session store (connect-redis, the app's own
   * express-session...) pass `redisCoordination({ url })`: with `NODE_ENV=production`, a shared
   * session store with process-local coordination is refused unless `singleInstance` is true.
   */
  coordination?: Coordination;
  /**
   * True when the app runs as exactly one process: process-local coordination is then fine in
   * production, whatever the session store. Default false.
   */
  singleInstance?: boolean;
  /** `false` closes sign-up: only known identities sign in. Default true. */
  signup?: boolean;
  /**
   * Per provider id: may a verified email from it join an existing user? Defaults come from each
   * provider (Google yes, Kakao when Kakao says valid and verified, Naver never).
   */
  trustEmail?: Record<string, boolean>;
  /**
   * Per provider id: the scopes a signed-in user may be asked for later, beyond the provider's
   * configured ones (incremental consent: `GET <basePath>/<id>?scope=...`, `requireScopes`),
   * e.g. `{ kakao: ['phone_number', 'shipping_address'] }`. A scope not listed is refused with
   * `scope_not_allowed`. Needs an account store with `updateScopes` (all three built-in ones).
   */
  moreScopes?: Record<string, readonly string[]>;
  /** Awaited app decisions and notifications. */
  hooks?: SocialAuthHooks;
  /**
   * When a provider counts as down: after `failures` back-channel calls in a row got no answer
   * (or a 5xx), its sign-ins and refreshes answer at once with `provider_unavailable` for
   * `pauseMs`, then try it again. Default `{ failures: 3, pauseMs: 30_000 }`; `false` turns it off.
   */
  outage?: OutageOptions | false;
  /** Milliseconds a provider gets to answer a token or profile request. Default 10 000. */
  providerTimeout?: number;
  /** Per-IP limits on the sign-in routes; `false` turns them off. Default 60 a minute. */
  rateLimit?: RateLimitOptions | false;
  /**
   * The language of socialauth's pages (error page, pending-link page): `auto` (default) picks
   * Korean or English from each request's `Accept-Language`; `ko` or `en` fixes it. JSON error
   * bodies stay English (`message`); apps translate by `code`.
   */
  locale?: LocaleSetting;
  /** Replace any page text, per language and key, e.g. `{ ko: { 'title.default': '...' } }`. */
  messages?: MessageOverrides;
}

/** The validated configuration with defaults applied. */
export interface ResolvedConfig {
  origin: string;
  baseURL: string;
  secure: boolean;
  secret: string[];
  providers: ProviderPlugin[];
  basePath: string;
  /** The given store, or express-session's memory store (development only). */
  store: Store;
  cookieName: string;
  maxAge: number;
  maxLifetime: number;
  maxSessionsPerUser: number;
  afterLogin: string;
  afterLogout: string;
  onError: string;
  allowedOrigins: string[];
  appReturnURLs: string[];
  logger: Logger;
  accounts: AccountStore;
  /** The given coordination, a `redisSession`'s Redis, or this process. */
  coordination: Coordination;
  signup: boolean;
  trustsEmail(provider: string): boolean;
  /** {@link SocialAuthConfig.moreScopes}, per provider id (none: an empty list). */
  moreScopes: ReadonlyMap<string, readonly string[]>;
  hooks: SocialAuthHooks;
  providerTimeout: number;
  /** {@link SocialAuthConfig.outage}; `false`: no breaker. */
  outage: OutageOptions | false;
  locale: LocaleSetting;
  messages: MessageOverrides;
}

/** Validates the config at start-up; errors name the field and the fix, never a value. */
export function resolveConfig(input: SocialAuthConfig): ResolvedConfig {
  const parsed = schema.safeParse(input ?? {});
  // Every problem at once, so a misconfigured app is fixed in one round.
  const lines = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`);
  const providers = Array.isArray(input?.providers) ? input.providers : [];
  const seen = new Set<string>();
  providers.forEach((p, i) => {
    if (typeof p?.validate !== 'function') return; // reported by the schema
    if (!/^[a-z0-9-]+$/.test(p.id)) {
      lines.push(`providers[${i}]: id must be lowercase letters, digits or dashes`);
    }
    if (seen.has(p.id)) lines.push(`providers[${i}] (${p.id}): listed twice; each provider once`);
    seen.add(p.id);
    for (const issue of p.validate()) lines.push(`providers[${i}] (${p.id}): ${issue.message}`);
    if (p.idToken?.hmacSecret && p.idToken.algorithms.some((a) => a !== 'HS256')) {
      lines.push(
        `providers[${i}] (${p.id}): idToken.hmacSecret takes algorithms ['HS256'] only ` +
          `(OIDC Core §10.1: HMAC keyed with the client secret)`,
      );
    }
    const { endpoints } = p.authCode ?? {};
    if (typeof endpoints === 'object' && endpoints.profile === undefined && !p.idToken) {
      lines.push(
        `providers[${i}] (${p.id}): authCode.endpoints.profile is required without an idToken ` +
          `policy (the ID token is the profile only when core verifies one)`,
      );
    }
  });
  lines.push(...moreScopesProblems(input, providers));
  lines.push(...productionProblems(input));
  if (lines.length > 0) fail(lines);

  const url = new URL(input.baseURL);
  const store = input.session?.store ?? new MemoryStore();
  // Decided once, here: no other module asks which session store the app picked. One derived
  // from a redisSession ends with it.
  let coordination = input.coordination;
  if (!coordination && isRedisSessionStore(store)) {
    const derived = redisCoordination({ client: store.redis });
    store[CLOSE_WITH](() => derived.close());
    coordination = derived;
  }
  const basePath = input.basePath ?? '/auth';
  const logger: Logger =
    input.logger === false ? { info() {}, warn() {}, error() {} } : (input.logger ?? console);
  return {
    origin: url.origin,
    baseURL: url.origin,
    secure: url.protocol === 'https:',
    secret: Array.isArray(input.secret) ? input.secret : [input.secret],
    providers,
    basePath,
    store,
    // RFC 6265bis §4.1.3.2: on https the `__Host-` prefix makes browsers refuse the cookie from
    // a sibling subdomain or with a Domain, so nobody else can plant a session on this site.
    cookieName:
      input.session?.cookieName ??
      (url.protocol === 'https:' ? '__Host-socialauth.sid' : 'socialauth.sid'),
    maxAge: input.session?.maxAge ?? 14 * DAY,
    maxLifetime: input.session?.maxLifetime ?? 30 * DAY,
    maxSessionsPerUser: input.session?.maxSessionsPerUser ?? MAX_SESSIONS_PER_USER,
    afterLogin: input.redirects?.afterLogin ?? '/',
    afterLogout: input.redirects?.afterLogout ?? '/',
    onError: input.redirects?.onError ?? `${basePath}/error`,
    allowedOrigins: (input.redirects?.allowedOrigins ?? []).map((o) => new URL(o).origin),
    appReturnURLs: input.redirects?.appReturnURLs ?? [],
    logger,
    accounts: input.accounts ?? memoryAccounts(),
    coordination: coordination ?? memoryCoordination(),
    signup: input.signup ?? true,
    trustsEmail: (id) =>
      input.trustEmail?.[id] ?? providers.find((p) => p.id === id)?.trustsEmail ?? false,
    moreScopes: new Map(Object.entries(input.moreScopes ?? {})),
    hooks: input.hooks ?? {},
    providerTimeout: input.providerTimeout ?? 10_000,
    outage: input.outage ?? {},
    locale: input.locale ?? 'auto',
    messages: input.messages ?? {},
  };
}

/** `moreScopes`: configured providers only, valid scope values, a store that records them. */
function moreScopesProblems(input: SocialAuthConfig, providers: readonly ProviderPlugin[]) {
  const lines: string[] = [];
  const more = input?.moreScopes;
  if (more === undefined || typeof more !== 'object' || more === null) return lines;
  for (const [id, scopes] of Object.entries(more)) {
    if (!providers.some((p) => p?.id === id)) {
      lines.push(`moreScopes.${id}: no provider ${id} is configured; use a provider's id`);
    } else if (!Array.isArray(scopes) || !scopes.every(isScopeToken)) {
      lines.push(
        `moreScopes.${id}: must be a list of scope values (RFC 6749 §3.3: no spaces or quotes)`,
      );
    }
  }
  if (Object.keys(more).length > 0 && input.accounts && !input.accounts.updateScopes) {
    lines.push('moreScopes: the account store has no updateScopes, so no grant would be recorded');
  }
  return lines;
}
