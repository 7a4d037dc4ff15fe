// The provider contract for the configured providers: oidc() against the emulator's Google by
// its issuer (discovery, JWKS, nonce, PKCE), and oauth2() against the emulator's Kakao by its
// endpoint URLs and a profile mapping, as an app would configure a provider without OIDC.
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { oauth2, oidc, SocialAuthError } from '../src';
import { postForm } from '../src/provider';
import { runProviderContract } from '@socialauth/testkit';

describe('oidc() against the emulator', () => {
  runProviderContract({
    provider: 'google',
    plugin: (emulator) =>
      oidc({
        id: 'google',
        name: 'Google (OIDC)',
        issuer: 'https://accounts.google.com',
        origin: emulator.origin,
        ...DEFAULT_CLIENTS.google,
        // Google issues a refresh token only for offline access.
        authorizationParams: { access_type: 'offline' },
      }),
    profilePath: '/v1/userinfo',
    badTokenFault: {
      kind: 'status',
      status: 401,
      body: '{"error":"invalid_request","error_description":"Invalid Credentials"}',
    },
  });
});

interface KakaoMe {
  id: number;
  kakao_account?: { profile?: { nickname?: string }; email?: string };
}

describe('oauth2() against the emulator', () => {
  runProviderContract({
    provider: 'kakao',
    plugin: (emulator) =>
      oauth2<KakaoMe>({
        id: 'kakao',
        name: 'Kakao (OAuth 2.0)',
        authorizationURL: 'https://kauth.kakao.com/oauth/authorize',
        tokenURL: 'https://kauth.kakao.com/oauth/token',
        userInfoURL: 'https://kapi.kakao.com/v2/user/me',
        origin: emulator.origin,
        ...DEFAULT_CLIENTS.kakao,
        scopes: ['profile_nickname'],
        scopeSeparator: ',',
        // Kakao's ids are 64-bit: read from the body text, never through a number.
        toProfile: (user, text) => ({
          id: /"id"\s*:\s*(\d+)/.exec(text ?? '')?.[1] ?? user.id,
          nickname: user.kakao_account?.profile?.nickname,
        }),
        // Kakao ends a grant with its own unlink API rather than RFC 7009.
        async revoke(tokens) {
          const { status } = await postForm(
            `${emulator.origin}/v1/user/unlink`,
            {},
            'revoke_failed',
            {
              Authorization: `Bearer ${tokens.accessToken}`,
            },
          );
          if (status !== 200) throw new SocialAuthError('revoke_failed');
        },
      }),
    profilePath: '/v2/user/me',
    badTokenFault: {
      kind: 'status',
      status: 401,
      body: '{"msg":"this access token does not exist","code":-401}',
    },
  });
});
