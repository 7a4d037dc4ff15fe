import type { TokenRefusal } from '@socialauth/core/provider';

/**
 * Kakao's KOE codes (developers.kakao.com kakaologin/trouble-shooting, checked 2026-12-07) as
 * reasons a user can act on, each with the developer's cause and the setting to change. Kakao
 * shows KOE006 and KOE205 on its own page and never sends the user back with them, so they
 * reach the app's log only through its token endpoint, if at all; they are listed for the docs'
 * sake. The console paths follow Kakao Developers as of December 2025 (app keys: 플랫폼 키).
 */
const KOE: Readonly<Record<string, TokenRefusal>> = {
  KOE006: {
    reason: 'redirect_mismatch',
    message:
      "Kakao: the redirect URI is not registered (KOE006): add the callback URL socialauth logs at start-up to the REST API key's redirect URIs (Kakao Developers: 앱 > 플랫폼 키 > REST API 키)",
  },
  KOE010: {
    reason: 'client_rejected',
    message:
      "Kakao refused the client secret (KOE010): set clientSecret (KAKAO_CLIENT_SECRET) to the REST API key's client secret (Kakao Developers: 앱 > 플랫폼 키 > REST API 키 > 클라이언트 시크릿)",
  },
  KOE101: {
    reason: 'client_rejected',
    message:
      "Kakao does not know this client_id (KOE101): clientId (KAKAO_CLIENT_ID) must be the app's REST API key, not its JavaScript, native or admin key",
  },
  KOE205: {
    reason: 'scope_not_configured',
    message:
      'Kakao: a consent item asked for is not set up for the app (KOE205): turn it on under 카카오 로그인 > 동의항목, or drop it from scopes (account_email, phone_number and others need a business app: 비즈 앱)',
  },
  KOE303: {
    reason: 'redirect_mismatch',
    message:
      "Kakao: the token request's redirect_uri differs from the authorization request's (KOE303): keep baseURL the same for both (a proxy rewriting the host, or two instances with different baseURLs)",
  },
  KOE320: {
    reason: 'code_used',
    message:
      'Kakao: the authorization code was used already or expired (KOE320): the callback was delivered twice (back button, a second tab), or the user stayed at Kakao too long',
  },
};

/**
 * Reads Kakao's token endpoint refusal: `{ error, error_description, error_code: "KOE..." }`.
 *
 * @example
 * ```ts
 * describeTokenError(401, { error: 'invalid_client', error_code: 'KOE010' })?.reason; // 'client_rejected'
 * ```
 */
export function describeTokenError(
  _status: number,
  body: Readonly<Record<string, unknown>>,
): TokenRefusal | undefined {
  const code = typeof body.error_code === 'string' ? body.error_code : undefined;
  return code === undefined ? undefined : KOE[code];
}
