import { MemoryStore, type Store } from 'express-session';
import { z } from 'zod';
import { SocialAuthError } from './errors';
import type { AccountStore } from './accounts/types';
import { memoryAccounts } from './accounts/memory';
import type { SocialAuthHooks } from './accounts/hooks';
import type { ProviderPlugin } from './provider/contract';

/** Per client IP, over the sign-in routes together. */
export interface RateLimitOptions {
  /** Default 60 000 (one minute). */
  windowMs?: number;
  /** Requests per window. Default 60 (a sign-in is two: start and callback). */
  limit?: number;
}

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
  };
  /** Default `console`; `false` silences socialauth. */
  logger?: Logger | false;
  /** Users and identities. Default: memory (development only; refused in production). */
  accounts?: AccountStore;
  /** `false` closes sign-up: only known identities sign in. Default true. */
  signup?: boolean;
  /**
   * Per provider id: may a verified email from it join an existing user? Defaults come from each
   * provider (Google yes, Kakao when Kakao says valid and verified, Naver never).
   */
  trustEmail?: Record<string, boolean>;
  /** Awaited app decisions and notifications. */
  hooks?: SocialAuthHooks;
  /** Milliseconds a provider gets to answer a token or profile request. Default 10 000. */
  providerTimeout?: number;
  /** Per-IP limits on the sign-in routes; `false` turns them off. Default 60 a minute. */
  rateLimit?: RateLimitOptions | false;
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
  afterLogin: string;
  afterLogout: string;
  onError: string;
  allowedOrigins: string[];
  logger: Logger;
  accounts: AccountStore;
  signup: boolean;
  trustsEmail(provider: string): boolean;
  hooks: SocialAuthHooks;
  providerTimeout: number;
}

const DAY = 24 * 60 * 60 * 1000;
const SECRET_HINT =
  'set SESSION_SECRET to a random string of 32+ characters (openssl rand -base64 48)';
const SITE_PATH = /^\/(?![/\\])[^\s\\]*$/;

const isFunction = (v: unknown) => typeof v === 'function';
const isSecret = (v: unknown) => typeof v === 'string' && v.length >= 32;
const sitePath = z.string().regex(SITE_PATH, { error: 'must be a path on this site, like /login' });

const schema = z.object({
  baseURL: z
    .string({ error: 'is required; pass the public origin, like https://app.example.com' })
    .refine((v) => /^https?:\/\/[^/]+\/?$/.test(v) && URL.canParse(v), {
      error: 'must be an http(s) origin with no path, like https://app.example.com',
    }),
  secret: z.custom<string | string[]>(
    (v) => (Array.isArray(v) ? v.length > 0 && v.every(isSecret) : isSecret(v)),
    { error: `must be a string of at least 32 characters (or a list of them); ${SECRET_HINT}` },
  ),
  providers: z
    .array(z.looseObject({ id: z.string(), validate: z.custom(isFunction) }), {
      error: 'is required; pass at least one provider, like providers: [google()]',
    })
    .min(1, { error: 'must list at least one provider, like providers: [google()]' }),
  basePath: z
    .string()
    .regex(/^\/[a-z0-9/_-]*[a-z0-9_-]$/i)
    .optional(),
  session: z
    .object({
      store: z.custom<Store>((v) => typeof v === 'object' && v !== null && 'get' in v).optional(),
      cookieName: z.string().min(1).optional(),
      maxAge: z.number().int().positive().optional(),
      maxLifetime: z.number().int().positive().optional(),
    })
    .optional(),
  redirects: z
    .object({
      afterLogin: sitePath.optional(),
      afterLogout: sitePath.optional(),
      onError: sitePath.optional(),
      allowedOrigins: z
        .array(z.string().refine((v) => URL.canParse(v), { error: 'must be an origin' }))
        .optional(),
    })
    .optional(),
  logger: z.union([z.literal(false), z.looseObject({ info: z.custom(isFunction) })]).optional(),
  accounts: z.looseObject({ findIdentity: z.custom(isFunction) }).optional(),
  signup: z.boolean().optional(),
  trustEmail: z.record(z.string(), z.boolean()).optional(),
  hooks: z.record(z.string(), z.custom(isFunction)).optional(),
  providerTimeout: z.number().int().positive().optional(),
  rateLimit: z
    .union([
      z.literal(false),
      z.object({
        windowMs: z.number().int().positive().optional(),
        limit: z.number().int().positive().optional(),
      }),
    ])
    .optional(),
});

function fail(lines: string[]): never {
  throw new SocialAuthError(
    'config_invalid',
    `socialAuth config is invalid:\n${lines.map((l) => `  - ${l}`).join('\n')}`,
  );
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
  });
  if (process.env.NODE_ENV === 'production' && !input?.session?.store) {
    lines.push(
      'session.store: the memory store is for development and loses every session on restart; ' +
        'with NODE_ENV=production pass session: { store } (an express-session store such as connect-redis)',
    );
  }
  if (process.env.NODE_ENV === 'production' && !input?.accounts) {
    lines.push(
      'accounts: the memory account store forgets every user on restart; with NODE_ENV=production ' +
        'pass accounts: redisAccounts({ url: process.env.REDIS_URL }) or your own AccountStore',
    );
  }
  if (lines.length > 0) fail(lines);

  const url = new URL(input.baseURL);
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
    store: input.session?.store ?? new MemoryStore(),
    // RFC 6265bis §4.1.3.2: on https the `__Host-` prefix makes browsers refuse the cookie from
    // a sibling subdomain or with a Domain, so nobody else can plant a session on this site.
    cookieName:
      input.session?.cookieName ??
      (url.protocol === 'https:' ? '__Host-socialauth.sid' : 'socialauth.sid'),
    maxAge: input.session?.maxAge ?? 14 * DAY,
    maxLifetime: input.session?.maxLifetime ?? 30 * DAY,
    afterLogin: input.redirects?.afterLogin ?? '/',
    afterLogout: input.redirects?.afterLogout ?? '/',
    onError: input.redirects?.onError ?? `${basePath}/error`,
    allowedOrigins: (input.redirects?.allowedOrigins ?? []).map((o) => new URL(o).origin),
    logger,
    accounts: input.accounts ?? memoryAccounts(),
    signup: input.signup ?? true,
    trustsEmail: (id) =>
      input.trustEmail?.[id] ?? providers.find((p) => p.id === id)?.trustsEmail ?? false,
    hooks: input.hooks ?? {},
    providerTimeout: input.providerTimeout ?? 10_000,
  };
}
