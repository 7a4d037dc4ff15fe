import { SocialAuthError, type SocialAuthErrorCode } from '../errors';
import { backChannelFetch } from '../net/back-channel';
import type { ClientAuthMethod, TokenSet } from '../contract';

/** Default time a provider gets to answer a back-channel request (token, refresh, revoke). */
export const TIMEOUT_MS = 10_000;

/** An OAuth error body (RFC 6749 §5.2), wherever and with whatever status it arrived. */
export interface OAuthErrorBody {
  error: string;
  error_description?: string;
}

/**
 * Whether a provider's answer is an OAuth error body (`error` a string), whatever its status.
 *
 * @example
 * ```ts
 * if (isOAuthError(body)) throw new SocialAuthError('token_exchange_failed', describeOAuthError(body));
 * ```
 */
export function isOAuthError(body: unknown): body is OAuthErrorBody {
  return (
    typeof body === 'object' && body !== null && typeof (body as OAuthErrorBody).error === 'string'
  );
}

/** A provider's JSON answer, with its status. The body is `undefined` when it was not JSON. */
export interface ProviderResponse {
  status: number;
  body: unknown;
}

/**
 * Sends a form to a provider's back channel (token, refresh, revoke) with a timeout, never
 * following a redirect and reading at most `MAX_PROVIDER_RESPONSE_BYTES` (1 MiB) of the answer.
 * Network failures, timeouts, a 3xx and an oversized answer become `failure` errors; the caller
 * interprets the answer.
 *
 * @example
 * ```ts
 * const { status, body } = await postForm('https://oauth2.googleapis.com/revoke', { token }, 'revoke_failed');
 * ```
 */
export async function postForm(
  url: string,
  form: Record<string, string | undefined>,
  failure: SocialAuthErrorCode,
  headers: Record<string, string> = {},
): Promise<ProviderResponse> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v !== undefined) body.set(k, v);
  const { status, text } = await backChannelFetch(
    url,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8', ...headers },
      body,
    },
    failure,
    TIMEOUT_MS,
  );
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status, body: parsed };
}

/**
 * Reads a token endpoint's answer. An `error` member makes it an error whatever the HTTP status
 * (Naver answers errors with 200). `expires_in` may be a number or a numeric string (Naver).
 * When the answer has no refresh token, the previous one is kept (Google and Naver never send one
 * on refresh; Kakao only near its expiry).
 *
 * @example
 * ```ts
 * toTokenSet({ access_token: 'a', expires_in: '3600' }, previous);
 * ```
 */
export function toTokenSet(body: unknown, previous?: TokenSet, now = Date.now()): TokenSet {
  if (isOAuthError(body)) {
    throw new SocialAuthError('token_exchange_failed', describeOAuthError(body));
  }
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.access_token !== 'string' || b.access_token === '') {
    throw new SocialAuthError('token_exchange_failed', 'The token response held no access token');
  }
  const expiresIn = Number(b.expires_in);
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    accessToken: b.access_token,
    refreshToken: str(b.refresh_token) ?? previous?.refreshToken,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? now + expiresIn * 1000 : undefined,
    tokenType: str(b.token_type),
    scope: str(b.scope) ?? previous?.scope,
    idToken: str(b.id_token),
  };
}

/** The provider's error code and description, for a log line (never a token). */
export function describeOAuthError(body: OAuthErrorBody): string {
  const description = body.error_description
    ? `: ${String(body.error_description).slice(0, 200)}`
    : '';
  return `The provider answered ${body.error.slice(0, 64)}${description}`;
}

/** Where and how to refresh: the token URL and the client credentials. */
export interface RefreshEndpoint {
  tokenURL: string;
  clientId: string;
  clientSecret: string;
  /** Default `client_secret_post`. */
  clientAuth?: ClientAuthMethod;
  /** More headers for the request (GitHub: `Accept: application/json`). */
  headers?: Readonly<Record<string, string>>;
  /**
   * Error codes besides `invalid_grant` by which the provider says the refresh token is dead
   * (GitHub's `bad_refresh_token`): `reauth_required`.
   */
  reauthErrors?: readonly string[];
}

/**
 * A token request's form and headers with the client's credentials where `method` puts them
 * (RFC 6749 §2.3.1): in the body, or as HTTP Basic with each half form-encoded first (and then
 * none in the body: one method per request).
 *
 * @example
 * ```ts
 * const { form, headers } = withClientAuth({ grant_type: 'refresh_token', refresh_token }, client, 'client_secret_basic');
 * await postForm(tokenURL, form, 'refresh_failed', headers);
 * ```
 */
export function withClientAuth(
  form: Record<string, string | undefined>,
  client: { clientId: string; clientSecret: string },
  method: ClientAuthMethod = 'client_secret_post',
): { form: Record<string, string | undefined>; headers: Record<string, string> } {
  if (method === 'client_secret_post') {
    return {
      form: { ...form, client_id: client.clientId, client_secret: client.clientSecret },
      headers: {},
    };
  }
  return {
    form,
    headers: { Authorization: basicCredentials(client.clientId, client.clientSecret) },
  };
}

/** `Basic base64(formencode(id):formencode(secret))`, as RFC 6749 §2.3.1 asks. */
export function basicCredentials(clientId: string, clientSecret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  const pair = `${encode(clientId)}:${encode(clientSecret)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

/**
 * The refresh-token grant (RFC 6749 §6), shared by providers that take client credentials in the
 * body. `invalid_grant` means the user must consent again: `reauth_required`.
 *
 * @example
 * ```ts
 * const fresh = await refreshTokens({ tokenURL, clientId, clientSecret }, tokens);
 * ```
 */
export async function refreshTokens(
  endpoint: RefreshEndpoint,
  tokens: TokenSet,
): Promise<TokenSet> {
  if (!tokens.refreshToken) {
    throw new SocialAuthError('reauth_required', 'There is no refresh token for this identity');
  }
  const { form, headers } = withClientAuth(
    { grant_type: 'refresh_token', refresh_token: tokens.refreshToken },
    endpoint,
    endpoint.clientAuth,
  );
  const { status, body } = await postForm(endpoint.tokenURL, form, 'refresh_failed', {
    ...endpoint.headers,
    ...headers,
  });
  // The provider in trouble, not the grant: a retry later may do (and the breaker counts it).
  const troubled = isOAuthError(body)
    ? body.error === 'server_error' || body.error === 'temporarily_unavailable'
    : status >= 500;
  if (troubled) {
    throw new SocialAuthError('refresh_failed', `The token endpoint answered ${status}`, {
      reason: 'provider_down',
    });
  }
  if (isOAuthError(body)) {
    const dead = body.error === 'invalid_grant' || endpoint.reauthErrors?.includes(body.error);
    const code = dead ? 'reauth_required' : 'refresh_failed';
    throw new SocialAuthError(code, describeOAuthError(body));
  }
  try {
    return toTokenSet(body, tokens);
  } catch (err) {
    throw new SocialAuthError('refresh_failed', (err as Error).message, { cause: err });
  }
}
