import { SocialAuthError } from '../errors';
import { secureURLIssues } from '../net/back-channel';
import { isOAuthError, describeOAuthError, postForm } from './endpoints';

/** Options for {@link clientCredentials}. */
export interface ClientCredentialsOptions {
  /** The authorization server's token endpoint (RFC 6749 §3.2). */
  tokenURL: string;
  clientId: string;
  clientSecret: string;
  /** Scopes to ask for (RFC 6749 §3.3), as a list or one space-separated string. */
  scope?: string | string[];
  /** Extra token request parameters, e.g. `{ audience: 'https://api.example.com' }`. */
  params?: Record<string, string>;
  /**
   * How the client authenticates (RFC 6749 §2.3.1): `basic` (the default, which every server
   * must support) or `post` (credentials in the body).
   */
  auth?: 'basic' | 'post';
  /** Renew this many milliseconds before the token expires. Default 30 000. */
  renewBeforeMs?: number;
  /** The clock, in epoch milliseconds. Default `Date.now`; tests pass their own. */
  now?: () => number;
}

/** An access token from the client credentials grant. */
export interface ClientToken {
  accessToken: string;
  /** Usually `Bearer`. */
  tokenType: string;
  /** Epoch milliseconds; absent when the server stated no lifetime. */
  expiresAt?: number;
  /** The scope granted, when the server said (RFC 6749 §5.1). */
  scope?: string;
}

/** A machine-to-machine token source: see {@link clientCredentials}. */
export interface ClientCredentials {
  /** A valid token: the cached one, or a new one (one request for all concurrent callers). */
  token(): Promise<ClientToken>;
  /** The `Authorization` header value for an API call, e.g. `Bearer eyJ...`. */
  authorization(): Promise<string>;
  /** Forgets the cached token (after the API refused it), so the next call gets a new one. */
  clear(): void;
}

/**
 * Tokens for calls this server makes on its own behalf (RFC 6749 §4.4, the client credentials
 * grant): cached until shortly before they expire, and renewed once for all concurrent callers
 * (single-flight). A refused request is `token_exchange_failed` with the server's error.
 * Missing options, and a tokenURL that is not https (http only on a loopback host), throw
 * `config_invalid` at once, naming the field.
 *
 * @example
 * ```ts
 * const api = clientCredentials({
 *   tokenURL: 'https://auth.example.com/oauth/token',
 *   clientId: process.env.API_CLIENT_ID!,
 *   clientSecret: process.env.API_CLIENT_SECRET!,
 *   scope: ['reports:read'],
 * });
 * await fetch('https://api.example.com/reports', { headers: { Authorization: await api.authorization() } });
 * ```
 */
export function clientCredentials(options: ClientCredentialsOptions): ClientCredentials {
  for (const field of ['tokenURL', 'clientId', 'clientSecret'] as const) {
    const value: unknown = options?.[field];
    if (typeof value !== 'string' || value === '') {
      throw new SocialAuthError('config_invalid', `clientCredentials: ${field} is required`);
    }
  }
  // The client secret goes to tokenURL with every request: TLS only (RFC 6749 §2.3.1, §3.2).
  const [insecure] = secureURLIssues(options.tokenURL, 'tokenURL');
  if (insecure) {
    throw new SocialAuthError('config_invalid', `clientCredentials: ${insecure.message}`);
  }
  const now = options.now ?? Date.now;
  const renewBefore = options.renewBeforeMs ?? 30_000;
  const scope = Array.isArray(options.scope) ? options.scope.join(' ') : options.scope;
  let cached: ClientToken | undefined;
  let inflight: Promise<ClientToken> | undefined;

  const fresh = (token: ClientToken | undefined): token is ClientToken =>
    token !== undefined && token.expiresAt !== undefined && now() < token.expiresAt - renewBefore;

  async function request(): Promise<ClientToken> {
    const basic = (options.auth ?? 'basic') === 'basic';
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and encoded.
    const encode = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
    const credentials = Buffer.from(
      `${encode(options.clientId)}:${encode(options.clientSecret)}`,
    ).toString('base64');
    const { status, body } = await postForm(
      options.tokenURL,
      {
        ...options.params,
        grant_type: 'client_credentials',
        scope,
        client_id: basic ? undefined : options.clientId,
        client_secret: basic ? undefined : options.clientSecret,
      },
      'token_exchange_failed',
      basic ? { Authorization: `Basic ${credentials}` } : {},
    );
    if (isOAuthError(body)) {
      throw new SocialAuthError('token_exchange_failed', describeOAuthError(body));
    }
    const b = (body ?? {}) as Record<string, unknown>;
    if (status !== 200 || typeof b.access_token !== 'string' || b.access_token === '') {
      throw new SocialAuthError('token_exchange_failed', `The token endpoint answered ${status}`);
    }
    const expiresIn = Number(b.expires_in);
    return {
      accessToken: b.access_token,
      tokenType: typeof b.token_type === 'string' ? b.token_type : 'Bearer',
      // RFC 6749 §5.1: expires_in is the lifetime in seconds, from the response.
      expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? now() + expiresIn * 1000 : undefined,
      scope: typeof b.scope === 'string' ? b.scope : undefined,
    };
  }

  const token = (): Promise<ClientToken> => {
    if (fresh(cached)) return Promise.resolve(cached);
    // Single-flight: every caller waiting for a renewal shares the one request.
    inflight ??= request()
      .then((t) => (cached = t))
      .finally(() => (inflight = undefined));
    return inflight;
  };

  return {
    token,
    async authorization() {
      const t = await token();
      // RFC 6750 §2.1: the Bearer scheme, whatever case the server wrote token_type in.
      return `${t.tokenType.toLowerCase() === 'bearer' ? 'Bearer' : t.tokenType} ${t.accessToken}`;
    },
    clear() {
      cached = undefined;
    },
  };
}
