import type { AuthCodeFlow, ProviderReason, TokenRefusal } from '../contract';
import { SocialAuthError } from '../errors';
import { describeOAuthError, isOAuthError } from './endpoints';

/** RFC 6749 §5.2's error codes (and §4.1.2.1's server errors), by what a user can do about them. */
const RFC_REASONS: Readonly<Record<string, ProviderReason>> = {
  invalid_client: 'client_rejected',
  unauthorized_client: 'client_rejected',
  invalid_grant: 'code_used',
  invalid_scope: 'scope_not_configured',
  server_error: 'provider_down',
  temporarily_unavailable: 'provider_down',
};

/**
 * A token endpoint's refusal as `token_exchange_failed` with its `reason`: the plugin's reading
 * first (Kakao's KOE codes), then RFC 6749 §5.2's codes, then a 5xx as `provider_down`.
 * `undefined` when nothing in it says more than "it failed".
 */
export function tokenRefusal(
  flow: Pick<AuthCodeFlow, 'describeTokenError'>,
  status: number,
  body: unknown,
): SocialAuthError | undefined {
  const json = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  let read: TokenRefusal | undefined;
  try {
    read = flow.describeTokenError?.(status, json);
  } catch {
    read = undefined; // a plugin's reading is a courtesy, never a second failure
  }
  if (!read && isOAuthError(json)) {
    const reason = RFC_REASONS[json.error];
    if (reason) read = { reason, message: describeOAuthError(json) };
  }
  if (!read && status >= 500) {
    read = { reason: 'provider_down', message: `The token endpoint answered ${status}` };
  }
  return (
    read && new SocialAuthError('token_exchange_failed', read.message, { reason: read.reason })
  );
}
