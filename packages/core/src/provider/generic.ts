import { SocialAuthError } from '../errors';
import { postForm, withClientAuth } from '../tokens/endpoints';
import type { ClientAuthMethod, ConfigIssue, TokenSet } from '../contract';
import { secureURLIssues } from '../net/back-channel';

/** A provider's error answer for a log line: its OAuth error, else its status. */
export function describeAnswer(
  name: string,
  status: number | undefined,
  body: Record<string, unknown> | undefined,
): string {
  const error = body?.error ?? body?.message;
  const detail = typeof error === 'string' ? `: ${error.slice(0, 200)}` : '';
  return `${name} answered ${status ?? 'nothing'}${detail}`;
}

/**
 * Ends a grant with token revocation (RFC 7009 §2.1): the refresh token when there is one (it
 * ends the grant), else the access token; the client authenticates in the body. `tokenOnly`
 * sends the token alone, for a provider that takes nothing else (Google). `clientAuth`
 * `client_secret_basic` authenticates with HTTP Basic instead of the body.
 *
 * @example
 * ```ts
 * revoke: (tokens) => revokeAt(revocationURL, { clientId, clientSecret, name: 'Acme' }, tokens),
 * ```
 */
/**
 * The error for a revoke the provider answered with anything but success: a 5xx (the provider is
 * failing: a retry may mend it) says `reason: 'provider_unreachable'`, as no answer at all does;
 * a 4xx is the provider's refusal (a token it no longer knows), final.
 *
 * @example
 * ```ts
 * if (status !== 200) throw revokeRefused(status, `Naver answered ${status}`);
 * ```
 */
export function revokeRefused(status: number, message: string): SocialAuthError {
  return new SocialAuthError(
    'revoke_failed',
    message,
    status >= 500 ? { reason: 'provider_unreachable' } : undefined,
  );
}

export async function revokeAt(
  url: string,
  client: { clientId: string; clientSecret: string; name: string; clientAuth?: ClientAuthMethod },
  tokens: TokenSet,
  options: { tokenOnly?: boolean } = {},
): Promise<void> {
  const token = tokens.refreshToken ?? tokens.accessToken;
  const hint = tokens.refreshToken ? 'refresh_token' : 'access_token';
  // RFC 7009 §2.1: the client authenticates as at the token endpoint.
  const { form, headers } = options.tokenOnly
    ? { form: { token }, headers: {} }
    : withClientAuth({ token, token_type_hint: hint }, client, client.clientAuth);
  const { status, body } = await postForm(url, form, 'revoke_failed', headers);
  // RFC 7009 §2.2: 200 whether or not the token was valid.
  if (status !== 200) {
    throw revokeRefused(
      status,
      describeAnswer(client.name, status, body as Record<string, unknown> | undefined),
    );
  }
}

/** `my-idp` → `MY_IDP`: the environment prefix for a configured provider's credentials. */
export function envPrefix(id: string): string {
  return id.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Problems with a URL option: it must parse, with https (http on a loopback host only). */
export function urlIssues(value: unknown, field: string): ConfigIssue[] {
  // RFC 6749 §3.1, §3.2 and §10.9: the endpoints carry codes, tokens and secrets: TLS only.
  return secureURLIssues(value, field);
}
