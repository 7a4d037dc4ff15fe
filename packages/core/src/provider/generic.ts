import { SocialAuthError } from '../errors';
import { postForm } from '../tokens/endpoints';
import type { ConfigIssue, TokenSet } from '../contract';
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
 * sends the token alone, for a provider that takes nothing else (Google).
 *
 * @example
 * ```ts
 * revoke: (tokens) => revokeAt(revocationURL, { clientId, clientSecret, name: 'Acme' }, tokens),
 * ```
 */
export async function revokeAt(
  url: string,
  client: { clientId: string; clientSecret: string; name: string },
  tokens: TokenSet,
  options: { tokenOnly?: boolean } = {},
): Promise<void> {
  const token = tokens.refreshToken ?? tokens.accessToken;
  const { status, body } = await postForm(
    url,
    options.tokenOnly
      ? { token }
      : {
          token,
          token_type_hint: tokens.refreshToken ? 'refresh_token' : 'access_token',
          client_id: client.clientId,
          client_secret: client.clientSecret,
        },
    'revoke_failed',
  );
  // RFC 7009 §2.2: 200 whether or not the token was valid.
  if (status !== 200) {
    throw new SocialAuthError(
      'revoke_failed',
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
