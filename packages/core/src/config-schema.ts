import type { Store } from 'express-session';
import { z } from 'zod';
import { SocialAuthError } from './errors';
import { MESSAGE_KEYS } from './locale';

export const DAY = 24 * 60 * 60 * 1000;
const SECRET_HINT =
  'set SESSION_SECRET to a random string of 32+ characters (openssl rand -base64 48)';
const SITE_PATH = /^\/(?![/\\])[^\s\\]*$/;

const isFunction = (v: unknown) => typeof v === 'function';
const isSecret = (v: unknown) => typeof v === 'string' && v.length >= 32;
const sitePath = z.string().regex(SITE_PATH, { error: 'must be a path on this site, like /login' });
// Schemes that run or read something where they land: never an app's return URL.
const UNSAFE_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:']);
const appReturnURL = z.string().refine(
  (v) => {
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    if (/[\\\u0000-\u001f\u007f\s]/u.test(v) || !URL.canParse(v)) return false;
    const url = new URL(v);
    return (
      !UNSAFE_SCHEMES.has(url.protocol) &&
      !url.username &&
      !url.password &&
      v !== url.protocol && // a bare scheme would admit any URL of it
      url.href.startsWith(v) // as the URL parser writes it: lowercase scheme and host
    );
  },
  {
    error:
      'must be an app return URL prefix in normalized form, like com.example.app:/signed-in or https://app.example.com/app/',
  },
);

// Each language's overrides: known keys only (a misspelt key would silently change nothing).
const messageSet = z.strictObject(
  Object.fromEntries(MESSAGE_KEYS.map((key) => [key, z.string().optional()])),
);

/** The config's shape: every field with the message that says how to fix it. */
export const schema = z.object({
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
      maxSessionsPerUser: z.number().int().positive().optional(),
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
      appReturnURLs: z.array(appReturnURL).optional(),
    })
    .optional(),
  logger: z.union([z.literal(false), z.looseObject({ info: z.custom(isFunction) })]).optional(),
  accounts: z.looseObject({ findIdentity: z.custom(isFunction) }).optional(),
  coordination: z
    .looseObject(
      { once: z.custom(isFunction), sessionIndex: z.custom(isFunction) },
      { error: 'must be redisCoordination({ url }) or memoryCoordination()' },
    )
    .optional(),
  singleInstance: z.boolean().optional(),
  signup: z.boolean().optional(),
  trustEmail: z.record(z.string(), z.boolean()).optional(),
  moreScopes: z.record(z.string(), z.unknown()).optional(),
  hooks: z.record(z.string(), z.custom(isFunction)).optional(),
  providerTimeout: z.number().int().positive().optional(),
  outage: z
    .union([
      z.literal(false),
      z.strictObject({
        failures: z.number().int().positive().optional(),
        pauseMs: z.number().int().positive().optional(),
      }),
    ])
    .optional(),
  locale: z.enum(['auto', 'en', 'ko'], { error: "must be 'auto', 'en' or 'ko'" }).optional(),
  messages: z.strictObject({ en: messageSet.optional(), ko: messageSet.optional() }).optional(),
  rateLimit: z
    .union([
      z.literal(false),
      z.object({
        windowMs: z.number().int().positive().optional(),
        limit: z.number().int().positive().optional(),
        // A refinement, not z.number(): a type error inside a union would lose the field's name.
        ipv6Subnet: z
          .unknown()
          .refine(
            (v) => v === undefined || (Number.isInteger(v) && Number(v) >= 48 && Number(v) <= 64),
            {
              error: 'must be a prefix length from 48 to 64, like 56 (the default) or 64',
            },
          )
          .optional(),
      }),
    ])
    .optional(),
});

/** Throws `config_invalid` with every problem, one line each. */
export function fail(lines: string[]): never {
  throw new SocialAuthError(
    'config_invalid',
    `socialAuth config is invalid:\n${lines.map((l) => `  - ${l}`).join('\n')}`,
  );
}
