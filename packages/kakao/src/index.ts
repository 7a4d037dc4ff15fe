/**
 * Kakao sign-in (카카오 로그인) for `@socialauth/core`.
 *
 * @example
 * ```ts
 * import { kakao } from '@socialauth/kakao';
 * app.use(socialAuth({ ..., providers: [kakao()] })); // reads KAKAO_CLIENT_ID / KAKAO_CLIENT_SECRET
 * ```
 * @packageDocumentation
 */
import {
  emulatorCredentialIssues,
  postForm,
  providerBasics,
  refreshTokens,
  type ProviderOptionsBase,
  type ProviderPlugin,
  type TokenSet,
  type WebhookRequest,
  revokeRefused,
} from '@socialauth/core/provider';
import { kakaoTokenSignIn } from './app-token';
import { describeTokenError } from './errors';
import { kakaoError, toProfile } from './profile';
import { verifyUnlink } from './webhook';

// developers.kakao.com/docs/ko/kakaologin/rest-api
const HOSTS = { kauth: 'https://kauth.kakao.com', kapi: 'https://kapi.kakao.com' } as const;
const PATHS = {
  authorize: '/oauth/authorize',
  token: '/oauth/token',
  profile: '/v2/user/me',
  unlink: '/v1/user/unlink',
  logout: '/v1/user/logout',
  tokenInfo: '/v1/user/access_token_info',
  jwks: '/.well-known/jwks.json',
} as const;

/** Options for {@link kakao}. `clientId` is the app's REST API key. */
export interface KakaoOptions extends ProviderOptionsBase {
  /**
   * Consent items. Default `['profile_nickname', 'profile_image']`: `account_email` needs a Biz
   * app (KOE205 otherwise), so it is opt-in.
   */
  scopes?: string[];
  prompt?: 'login' | 'none' | 'create' | 'select_account';
  /**
   * Inside KakaoTalk's in-app browser, try Kakao's auto-login first (`prompt=none`: a member is
   * signed in without a screen), and fall back to the usual consent when Kakao answers
   * `consent_required` or `login_required` (kakaologin/utilize, "카카오톡에서 자동 로그인",
   * checked 2026-12-07). Default false.
   */
  silentInKakaoTalk?: boolean;
  /**
   * The app's primary admin key (대표 어드민 키), default `KAKAO_ADMIN_KEY`. Kakao's unlink webhook
   * carries it as `Authorization: KakaoAK <key>`, its only proof of origin. Without it the
   * webhook route answers 404.
   */
  adminKey?: string;
  /**
   * The app's ID (앱 ID), default `KAKAO_APP_ID`: a webhook for another app is refused, and an
   * app's access token is accepted only when Kakao's token info names this app.
   */
  appId?: string;
  /**
   * The app keys (native app key, JavaScript key) your apps' Kakao SDKs sign in with: ID tokens
   * with one of them (or the REST API key) as `aud` are accepted at `POST /auth/kakao/token`.
   */
  appKeys?: string[];
}

export { toProfile, type KakaoUser } from './profile';

/**
 * The Kakao provider. Credentials default to `KAKAO_CLIENT_ID` (REST API key) and
 * `KAKAO_CLIENT_SECRET`; a secret is required (Kakao turns client secrets on for new apps).
 * With an admin key (`KAKAO_ADMIN_KEY`), Kakao's unlink webhook is accepted at
 * `<baseURL>/auth/kakao/webhook`.
 *
 * @example
 * ```ts
 * kakao({ scopes: ['profile_nickname', 'account_email'], prompt: 'select_account' });
 * kakao({ adminKey: process.env.KAKAO_ADMIN_KEY, appId: '1234567' });
 * ```
 */
export function kakao(options: KakaoOptions = {}): ProviderPlugin & {
  /** Ends this app's Kakao session for the tokens (`POST /v1/user/logout`). */
  logout(tokens: TokenSet): Promise<void>;
} {
  const { clientId, clientSecret, origin, url, issues } = providerBasics(options, 'KAKAO');
  const scopes = options.scopes ?? ['profile_nickname', 'profile_image'];
  const adminKey = options.adminKey ?? process.env.KAKAO_ADMIN_KEY;
  const appId = options.appId ?? process.env.KAKAO_APP_ID;
  const tokenURL = url(HOSTS.kauth, PATHS.token);
  const bearerPost = async (path: string, tokens: TokenSet) => {
    const { status, body } = await postForm(url(HOSTS.kapi, path), {}, 'revoke_failed', {
      Authorization: `Bearer ${tokens.accessToken}`,
    });
    if (status !== 200) throw revokeRefused(status, kakaoError(status, body));
  };

  return {
    id: 'kakao',
    name: 'Kakao',
    pkce: true,
    // toProfile marks an email verified only when Kakao says valid and verified.
    trustsEmail: true,
    profileURL: url(HOSTS.kapi, PATHS.profile),
    validate: () => [
      ...issues(),
      ...emulatorCredentialIssues({ adminKey: { value: adminKey, env: 'KAKAO_ADMIN_KEY' } }),
    ],
    // Core's strategy on passport-oauth2 ^1.8 (passport-kakao pins ~1.1.2, which ignores the
    // state store and PKCE).
    authCode: {
      clientId,
      clientSecret,
      endpoints: {
        authorize: url(HOSTS.kauth, PATHS.authorize),
        token: tokenURL,
        profile: url(HOSTS.kapi, PATHS.profile),
        pkce: true, // S256 (RFC 7636 §4.2); Kakao accepts no other method
      },
      scopes,
      scopeSeparator: ',',
      authorizationParams: { prompt: options.prompt || undefined },
      // 추가 항목 동의 받기: `scope` lists the items to ask for, and `openid` with them, or the
      // answer has no ID token (developers.kakao.com/docs/latest/ko/kakaologin/js, 2026-12-07).
      moreScopes: { keep: scopes.includes('openid') ? ['openid'] : [] },
      ...(options.silentInKakaoTalk && {
        silent: {
          inApp: ['kakaotalk'],
          params: { prompt: 'none' },
          fallbackErrors: ['consent_required', 'login_required', 'interaction_required'],
        },
      }),
      // 기존 로그인 여부와 상관없이 로그인: `prompt=login` (kakaologin/rest-api, 2026-12-07).
      reauthenticate: { params: { prompt: 'login' } },
      describeProfileError: kakaoError,
      describeTokenError,
    },
    toProfile,
    // An API call without the item's consent: 403 `{"code":-402,"required_scopes":[...]}`
    // (PROVIDERS.md): those scopes are not granted (any more), whatever the ledger said.
    missingScopes: ({ status, body }) => {
      const b = body as { code?: unknown; required_scopes?: unknown } | undefined;
      if (status !== 403 || b?.code !== -402 || !Array.isArray(b.required_scopes)) return [];
      return b.required_scopes.filter((s): s is string => typeof s === 'string');
    },
    // Kakao sends a new refresh token only within a month of the old one's expiry:
    // refreshTokens keeps the old one otherwise.
    refresh: (tokens) => refreshTokens({ tokenURL, clientId, clientSecret }, tokens),
    revoke: (tokens) => bearerPost(PATHS.unlink, tokens),
    logout: (tokens) => bearerPost(PATHS.logout, tokens),
    ...(adminKey && {
      webhook: (request: WebhookRequest) => verifyUnlink(request, adminKey, appId || undefined),
    }),
    tokenSignIn: kakaoTokenSignIn(
      {
        idToken: {
          issuers: [origin ?? HOSTS.kauth],
          jwksURL: url(HOSTS.kauth, PATHS.jwks),
          clientId,
          algorithms: ['RS256'],
        },
        audiences: [clientId, ...(options.appKeys ?? [])],
        tokenInfoURL: url(HOSTS.kapi, PATHS.tokenInfo),
        profileURL: url(HOSTS.kapi, PATHS.profile),
        appId: appId || undefined,
      },
      toProfile,
    ),
  };
}
