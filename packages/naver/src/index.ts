/**
 * Naver sign-in (네이버 로그인) for `@socialauth/core`.
 *
 * @example
 * ```ts
 * import { naver } from '@socialauth/naver';
 * app.use(socialAuth({ ..., providers: [naver()] })); // reads NAVER_CLIENT_ID / NAVER_CLIENT_SECRET
 * ```
 * @packageDocumentation
 */
import {
  postForm,
  providerBasics,
  refreshTokens,
  type ProviderOptionsBase,
  type ProviderPlugin,
  revokeRefused,
} from '@socialauth/core/provider';
import { naverAppTokenSignIn } from './app-token';
import { describeTokenError } from './errors';
import { grantedItems, naverError, toProfile } from './profile';
import { verifyUnlink } from './webhook';

// naver/naver-openapi-guide ko/login/api/api.md: the classic (non-OIDC) endpoints.
const HOSTS = { nid: 'https://nid.naver.com', openapi: 'https://openapi.naver.com' } as const;
const PATHS = {
  authorize: '/oauth2.0/authorize',
  token: '/oauth2.0/token',
  revoke: '/oauth2.0/revoke',
  profile: '/v1/nid/me',
} as const;

/** Options for {@link naver}. */
export interface NaverOptions extends ProviderOptionsBase {
  /** `reprompt` asks again for items the user declined; `reauthenticate` forces a password. */
  authType?: 'reprompt' | 'reauthenticate';
  /**
   * Inside the NAVER app's browser, try Naver's 서비스 자동로그인 first (`auth_type=autologin`: a
   * user who signed in to this app before is signed in without a screen), and the usual sign-in
   * when Naver answers `access_denied` (not signed in to the app, not linked yet; devguide §5.1,
   * checked 2026-12-07). Default false.
   */
  autoLoginInNaverApp?: boolean;
}

export { toProfile, type NaverProfile, type NaverProfileResponse } from './profile';
export { WEBHOOK_MAX_SKEW_MS } from './webhook';

/**
 * The Naver provider. Credentials default to `NAVER_CLIENT_ID` / `NAVER_CLIENT_SECRET`.
 * Naver takes no PKCE on these endpoints; `state` is always sent (Naver requires it).
 * Naver's unlink notification is accepted at `<baseURL>/auth/naver/webhook`, verified with the
 * client secret. Apps signed in with the Naver login SDK send its tokens to
 * `POST <baseURL>/auth/naver/token` as `{ accessToken, refreshToken }`: the refresh token is
 * renewed with this app's credentials, which Naver does only for a grant of this app.
 *
 * @example
 * ```ts
 * naver({ authType: 'reprompt' });
 * ```
 */
export function naver(options: NaverOptions = {}): ProviderPlugin {
  const { clientId, clientSecret, url, issues } = providerBasics(options, 'NAVER');
  const tokenURL = url(HOSTS.nid, PATHS.token);
  const profileURL = url(HOSTS.openapi, PATHS.profile);

  return {
    id: 'naver',
    name: 'Naver',
    pkce: false,
    profileURL,
    validate: issues,
    authCode: {
      clientId,
      clientSecret,
      endpoints: {
        authorize: url(HOSTS.nid, PATHS.authorize),
        token: tokenURL,
        profile: profileURL,
        pkce: false,
      },
      authorizationParams: { auth_type: options.authType || undefined },
      // Naver takes no `scope` (api.md §2.4.1): `reprompt` asks again for every item the user
      // declined, and `reauthenticate` for the password (api.md, checked 2026-12-07).
      moreScopes: { params: { auth_type: 'reprompt' }, keep: [] },
      reauthenticate: { params: { auth_type: 'reauthenticate' } },
      ...(options.autoLoginInNaverApp && {
        silent: {
          inApp: ['naver'],
          params: { auth_type: 'autologin' },
          // No screen was shown, so this access_denied is Naver's "cannot", never a user's "no".
          fallbackErrors: ['access_denied'],
        },
      }),
      // Naver's token request repeats the state of the authorization request (api.md, 2.4.2).
      stateInTokenRequest: true,
      describeTokenError,
      describeProfileError: (status, body) =>
        body ? naverError(body) : `Naver answered ${status ?? 'nothing'}`,
    },
    toProfile,
    grantedScopes: grantedItems,
    webhook: (request) => verifyUnlink(request, clientId, clientSecret),
    refresh: (tokens) => refreshTokens({ tokenURL, clientId, clientSecret }, tokens),
    tokenSignIn: (token) =>
      naverAppTokenSignIn(token, { tokenURL, profileURL, clientId, clientSecret }, toProfile),
    async revoke(tokens) {
      // Naver answers 200 with an empty body, even for a token it does not know.
      const { status } = await postForm(
        url(HOSTS.nid, PATHS.revoke),
        {
          client_id: clientId,
          client_secret: clientSecret,
          token: tokens.accessToken,
          token_type_hint: 'access_token',
        },
        'revoke_failed',
      );
      if (status !== 200) throw revokeRefused(status, `Naver answered ${status}`);
    },
  };
}
