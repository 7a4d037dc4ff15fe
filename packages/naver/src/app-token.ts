import {
  SocialAuthError,
  bearerGet,
  describeOAuthError,
  isOAuthError,
  postForm,
  toTokenSet,
  type NativeToken,
  type SocialProfile,
  type TokenSet,
} from '@socialauth/core/provider';

/** Where {@link naverAppTokenSignIn} checks the tokens, and with which credentials. */
export interface NaverAppTokenEndpoints {
  tokenURL: string;
  profileURL: string;
  clientId: string;
  clientSecret: string;
}

/**
 * Sign-in with the tokens the Naver login SDK holds in an app (`getAccessToken()`,
 * `getRefreshToken()`; the app is registered as an Android or iOS environment of the same Naver
 * application). Naver's APIs never name the app an access token was issued to
 * (`/v1/nid/verify` answers validity, expiry and the allowed profile items only), so:
 * - the refresh token is renewed at Naver's token endpoint with this app's client id and secret.
 *   An authorization server renews a refresh token only for the client it was issued to
 *   (RFC 6749 §6), so success proves the grant is this app's (RFC 6749 §10.16: a token issued to
 *   another client must not be taken as proof of identity). The profile is read with the access
 *   token so obtained, which is kept;
 * - the app's own access token, when sent, must show the same user: Naver's ids are per
 *   application (profile.md: "같은 네이버 회원이라도 ... 애플리케이션이 다르면 id값이 다른"),
 *   so another app's token names another id.
 */
export async function naverAppTokenSignIn(
  token: NativeToken,
  endpoints: NaverAppTokenEndpoints,
  toProfile: (raw: unknown) => SocialProfile,
): Promise<{ profile: SocialProfile; tokens: TokenSet }> {
  const { refreshToken } = token;
  if (!refreshToken) {
    throw new SocialAuthError(
      'invalid_request',
      token.idToken
        ? 'Naver sign-in takes the login SDK’s accessToken and refreshToken, not an ID token'
        : 'Naver names no app for an access token: send the SDK’s refreshToken with it',
    );
  }
  // The app's token first: renewing might end it, and it is checked as the app sent it.
  const theirs = token.accessToken
    ? await profileId(endpoints.profileURL, token.accessToken, toProfile)
    : undefined;

  const { status, body } = await postForm(
    endpoints.tokenURL,
    {
      grant_type: 'refresh_token',
      client_id: endpoints.clientId,
      client_secret: endpoints.clientSecret,
      refresh_token: refreshToken,
    },
    'token_exchange_failed',
  );
  // Naver answers a refused refresh with HTTP 200 and `error`: it does not say why (another
  // app's token, revoked, or expired), and none of them is a grant of this app.
  if (isOAuthError(body)) {
    throw new SocialAuthError(
      'token_audience_mismatch',
      `Naver would not renew the grant for this app: ${describeOAuthError(body)}`,
    );
  }
  if (status !== 200) {
    throw new SocialAuthError('token_exchange_failed', `Naver answered ${status}`);
  }
  const tokens = toTokenSet(body, { accessToken: '', refreshToken });
  const me = await bearerGet(endpoints.profileURL, tokens.accessToken, 'Naver');
  const profile = toProfile(me.text);
  if (theirs !== undefined && theirs !== profile.id) {
    throw new SocialAuthError(
      'token_audience_mismatch',
      'The Naver access token is for another app or another user',
    );
  }
  return { profile, tokens };
}

/** The id Naver's profile API names for a token the app sent; a refused token is the app's error. */
async function profileId(
  profileURL: string,
  accessToken: string,
  toProfile: (raw: unknown) => SocialProfile,
): Promise<string> {
  const { status, text } = await bearerGet(profileURL, accessToken, 'Naver');
  try {
    if (status === 200) return toProfile(text).id; // a resultcode other than "00" throws
  } catch {
    // refused below, as the app's error rather than Naver's
  }
  throw new SocialAuthError('invalid_request', `Naver did not accept the access token (${status})`);
}
