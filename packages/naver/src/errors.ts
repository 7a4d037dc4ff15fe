import type { TokenRefusal } from '@socialauth/core/provider';

/**
 * Naver's token endpoint refusals (naver-openapi-guide ko/login/api/api.md §5, checked
 * 2026-12-07), sent with HTTP 200: what they mean, beyond RFC 6749 §5.2's reading. Naver's
 * `unauthorized_client` is "인증받지 않은 인증 코드" (a code it did not issue, or no longer
 * honours), not a client problem.
 *
 * @example
 * ```ts
 * describeTokenError(200, { error: 'unauthorized_client' })?.reason; // 'code_used'
 * ```
 */
export function describeTokenError(
  _status: number,
  body: Readonly<Record<string, unknown>>,
): TokenRefusal | undefined {
  const description = String(body.error_description ?? '').slice(0, 200);
  switch (body.error) {
    case 'unauthorized_client':
      return {
        reason: 'code_used',
        message: `Naver refused the authorization code (unauthorized_client: ${description}): it was used already or expired`,
      };
    case 'invalid_request':
      // "no valid data in session": Naver holds no sign-in for this code and state.
      return /session/i.test(description)
        ? {
            reason: 'code_used',
            message: `Naver found no sign-in for this code (invalid_request: ${description}): the code was used or expired, or the state differs from the authorization request's`,
          }
        : undefined;
    case 'invalid_client':
      return {
        reason: 'client_rejected',
        message: `Naver refused the client credentials (invalid_client: ${description}): set clientId and clientSecret (NAVER_CLIENT_ID, NAVER_CLIENT_SECRET) to the Client ID and Client Secret under 내 애플리케이션 > 애플리케이션 정보`,
      };
    default:
      return undefined;
  }
}
