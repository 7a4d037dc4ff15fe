import { createHash, timingSafeEqual } from 'node:crypto';
import { SocialAuthError } from '../errors';
import { backChannelFetch, isEmulatorCredential, secureURLIssues } from '../net/back-channel';
import type { ConfigIssue, ProviderBasics, ProviderOptionsBase } from '../contract';

/**
 * Credentials (with the environment fallback) and the origin override, the same for every
 * provider.
 *
 * @example
 * ```ts
 * const basics = providerBasics(options, 'NAVER');
 * basics.url('https://nid.naver.com', '/oauth2.0/token');
 * ```
 */
export function providerBasics(options: ProviderOptionsBase, envPrefix: string): ProviderBasics {
  const clientId = options.clientId ?? process.env[`${envPrefix}_CLIENT_ID`];
  const clientSecret = options.clientSecret ?? process.env[`${envPrefix}_CLIENT_SECRET`];
  // An unparsable origin is reported by issues(); until then, the provider's own hosts are used.
  const origin =
    options.origin !== undefined && URL.canParse(options.origin)
      ? new URL(options.origin).origin
      : undefined;
  return {
    clientId: clientId ?? '',
    clientSecret: clientSecret ?? '',
    origin,
    url: (host, path) => new URL(path, origin ?? host).href,
    issues() {
      const issues: ConfigIssue[] = [];
      if (!clientId) {
        issues.push({
          field: 'clientId',
          message: `clientId is required; set ${envPrefix}_CLIENT_ID or pass clientId`,
        });
      }
      if (!clientSecret) {
        issues.push({
          field: 'clientSecret',
          message: `clientSecret is required; set ${envPrefix}_CLIENT_SECRET or pass clientSecret`,
        });
      }
      if (options.origin !== undefined && origin === undefined) {
        issues.push({
          field: 'origin',
          message: 'origin must be a URL, like http://127.0.0.1:4000',
        });
      } else if (origin !== undefined) {
        // Every endpoint, the token endpoint with the client secret included, moves there.
        issues.push(...secureURLIssues(origin, 'origin', 'https://idp-proxy.example'));
      }
      issues.push(
        ...emulatorCredentialIssues({
          clientId: { value: clientId, env: `${envPrefix}_CLIENT_ID` },
          clientSecret: { value: clientSecret, env: `${envPrefix}_CLIENT_SECRET` },
        }),
      );
      return issues;
    },
  };
}

/**
 * With `NODE_ENV=production`, an issue for each credential that is one of
 * `@socialauth/emulator`'s public test credentials (anyone can read them, so they prove nothing),
 * naming the field and the variable to set. Other environments: none.
 *
 * @example
 * ```ts
 * validate: () => [...issues(), ...emulatorCredentialIssues({ adminKey: { value: adminKey, env: 'KAKAO_ADMIN_KEY' } })],
 * ```
 */
export function emulatorCredentialIssues(
  fields: Readonly<Record<string, { value: string | undefined; env: string }>>,
): ConfigIssue[] {
  if (process.env.NODE_ENV !== 'production') return [];
  return Object.entries(fields)
    .filter(([, { value }]) => isEmulatorCredential(value))
    .map(([field, { env }]) => ({
      field,
      message:
        `${field} is one of @socialauth/emulator's public test credentials; with ` +
        `NODE_ENV=production set ${env} (or pass ${field}) to the one the provider issued`,
    }));
}

/**
 * Parses a provider's JSON body (text or already parsed) for `toProfile`; malformed input is
 * `profile_fetch_failed`, never a crash.
 *
 * @example
 * ```ts
 * const json = parseProfileJson(raw, 'Naver');
 * ```
 */
export function parseProfileJson(raw: unknown, providerName: string): Record<string, unknown> {
  let json: unknown = raw;
  try {
    if (typeof raw === 'string') json = JSON.parse(raw);
  } catch (err) {
    throw new SocialAuthError('profile_fetch_failed', `${providerName} returned malformed JSON`, {
      cause: err,
    });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SocialAuthError('profile_fetch_failed', `${providerName} returned no profile object`);
  }
  return json as Record<string, unknown>;
}

/**
 * Compares a secret a caller sent with the expected one in constant time (CWE-208): both are
 * hashed first, so `timingSafeEqual` gets equal lengths and the time reveals neither where a
 * guess diverges nor how long the secret is.
 *
 * @example
 * ```ts
 * if (!safeEqual(sentKey, adminKey)) throw new SocialAuthError('webhook_invalid');
 * ```
 */
export function safeEqual(sent: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

/**
 * One string parameter of a webhook call: from the body, else the query. A repeated or non-string
 * parameter counts as missing.
 *
 * @example
 * ```ts
 * const userId = webhookParam(request, 'user_id');
 * ```
 */
export function webhookParam(
  request: { body: Readonly<Record<string, unknown>>; query: Readonly<Record<string, unknown>> },
  name: string,
): string | undefined {
  const value = Object.hasOwn(request.body, name) ? request.body[name] : request.query[name];
  return typeof value === 'string' ? value : undefined;
}

/** Time a provider's API gets to answer a GET from {@link bearerGet}. */
const GET_TIMEOUT_MS = 10_000;

/**
 * GETs a provider's API with the access token in the `Authorization` header (never the query:
 * RFC 6750 §5.3) and a timeout, and returns the status and the body text untouched (for
 * `toProfile`). A network failure, a timeout, a redirect (never followed: it would carry the
 * token elsewhere) or an answer over 1 MiB is `profile_fetch_failed`.
 *
 * @example
 * ```ts
 * const { status, text } = await bearerGet(profileURL, accessToken, 'Naver');
 * ```
 */
export async function bearerGet(
  url: string,
  accessToken: string,
  providerName: string,
  /** More headers the provider's API wants (GitHub: `User-Agent`, `X-GitHub-Api-Version`). */
  headers: Readonly<Record<string, string>> = {},
): Promise<{ status: number; text: string }> {
  return backChannelFetch(
    url,
    { headers: { ...headers, Authorization: `Bearer ${accessToken}` } },
    'profile_fetch_failed',
    GET_TIMEOUT_MS,
  ).catch((err: SocialAuthError) => {
    throw new SocialAuthError(err.code, `${providerName}: ${err.message}`, { cause: err.cause });
  });
}
