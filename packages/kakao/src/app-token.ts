import {
  SocialAuthError,
  appIdTokenVerifier,
  bearerGet,
  type IdTokenPolicy,
  type NativeToken,
  type SocialProfile,
  type TokenSet,
} from '@socialauth/core/provider';

/** `GET /v1/user/access_token_info` (rest-api "토큰 정보 보기"). */
interface KakaoTokenInfo {
  /** The user's id (회원번호). */
  id?: number | string;
  /** Seconds the token has left. */
  expires_in?: number;
  /** The app the token was issued to (앱 ID). */
  app_id?: number | string;
}

// The ids are 64-bit integers: quoted before JSON.parse, as for /v2/user/me.
const INTEGER_FIELD = /("(?:id|app_id)"\s*:\s*)(-?\d+)/g;

/**
 * Sign-in with an access token the Kakao SDK obtained in the app. A bearer token proves nothing
 * about whom it was issued to, so Kakao's token-info API is asked first, and its `app_id` must be
 * this app's (RFC 6749 §10.16: a token issued to another client must not be taken as proof of
 * identity); then the profile is read with it, and must name the same user.
 */
export async function kakaoAccessTokenSignIn(
  accessToken: string,
  endpoints: { tokenInfoURL: string; profileURL: string; appId: string | undefined },
  toProfile: (raw: unknown) => SocialProfile,
): Promise<{ profile: SocialProfile; tokens: TokenSet }> {
  if (!endpoints.appId) {
    // Without the app id nothing can tell this app's tokens from another app's.
    throw new SocialAuthError(
      'invalid_request',
      'Kakao access-token sign-in needs kakao({ appId }) or KAKAO_APP_ID',
    );
  }
  const info = await bearerGet(endpoints.tokenInfoURL, accessToken, 'Kakao');
  if (info.status !== 200) {
    throw new SocialAuthError('invalid_request', `Kakao did not accept the token (${info.status})`);
  }
  let parsed: KakaoTokenInfo;
  try {
    parsed = JSON.parse(info.text.replace(INTEGER_FIELD, '$1"$2"')) as KakaoTokenInfo;
  } catch (err) {
    throw new SocialAuthError('profile_fetch_failed', 'Kakao returned malformed JSON', {
      cause: err,
    });
  }
  if (String(parsed.app_id) !== endpoints.appId) {
    throw new SocialAuthError('token_audience_mismatch', 'The Kakao token is for another app');
  }
  const me = await bearerGet(endpoints.profileURL, accessToken, 'Kakao');
  if (me.status !== 200) {
    throw new SocialAuthError('profile_fetch_failed', `Kakao answered ${me.status}`);
  }
  const profile = toProfile(me.text);
  if (profile.id !== String(parsed.id)) {
    throw new SocialAuthError('profile_fetch_failed', 'Kakao named two different users');
  }
  const seconds = Number(parsed.expires_in);
  return {
    profile,
    tokens: {
      accessToken,
      tokenType: 'bearer',
      ...(Number.isFinite(seconds) && seconds > 0 && { expiresAt: Date.now() + seconds * 1000 }),
    },
  };
}

/** The claims of Kakao's ID token (OIDC): `email` only when valid and verified, no flag for it. */
interface KakaoIdClaims {
  sub?: string;
  nickname?: string;
  picture?: string;
  email?: string;
}

/**
 * Returns a verifier for the ID token the Kakao SDK obtained with `openid`: Kakao's signature and
 * issuer, and an audience among this app's keys (REST API key and the app keys in `audiences`).
 */
export function kakaoIdTokenSignIn(policy: IdTokenPolicy, audiences: readonly string[]) {
  const verify = appIdTokenVerifier(policy, audiences);
  return async (idToken: string, nonce?: string): Promise<{ profile: SocialProfile }> => {
    const claims = (await verify(idToken, nonce)) as KakaoIdClaims;
    return {
      profile: {
        provider: 'kakao',
        id: String(claims.sub),
        email: claims.email,
        // Kakao puts an email in the ID token only when it is valid and verified (PROVIDERS.md).
        emailVerified: claims.email !== undefined,
        name: claims.nickname,
        nickname: claims.nickname,
        avatarUrl: claims.picture,
        raw: claims,
      },
    };
  };
}

/** Where {@link kakaoTokenSignIn} checks an app's token, and what it accepts. */
export interface KakaoTokenSignInOptions {
  /** Kakao's ID token policy (issuer, JWKS, client id, algorithms). */
  idToken: IdTokenPolicy;
  /** The `aud` values accepted: the REST API key and the app keys. */
  audiences: readonly string[];
  tokenInfoURL: string;
  profileURL: string;
  appId: string | undefined;
}

/**
 * The plugin's `tokenSignIn`: an ID token is verified (verifier built on first use), an access
 * token is checked with Kakao's token info (only with the app id: without it, nothing tells this
 * app's tokens from another app's).
 */
export function kakaoTokenSignIn(
  o: KakaoTokenSignInOptions,
  toProfile: (raw: unknown) => SocialProfile,
) {
  let verifyIdToken: ReturnType<typeof kakaoIdTokenSignIn> | undefined;
  return (token: NativeToken): Promise<{ profile: SocialProfile; tokens?: TokenSet }> => {
    if (token.idToken) {
      verifyIdToken ??= kakaoIdTokenSignIn(o.idToken, o.audiences);
      return verifyIdToken(token.idToken, token.nonce);
    }
    if (!token.accessToken) throw new SocialAuthError('invalid_request', 'Send an accessToken');
    return kakaoAccessTokenSignIn(token.accessToken, o, toProfile);
  };
}
