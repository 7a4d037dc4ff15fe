/**
 * LINE Login (v2.1) for `@socialauth/core`.
 *
 * @example
 * ```ts
 * import { line } from '@socialauth/line';
 * app.use(socialAuth({ ..., providers: [line()] })); // LINE_CLIENT_ID (channel ID) / LINE_CLIENT_SECRET
 * ```
 * @packageDocumentation
 */
import {
  describeAnswer,
  postForm,
  providerBasics,
  refreshTokens,
  type IdTokenPolicy,
  type ProviderOptionsBase,
  type ProviderPlugin,
  revokeRefused,
} from '@socialauth/core/provider';
import { toProfile } from './profile';

// developers.line.biz, LINE Login v2.1 API reference (checked 2026-12-07).
const HOSTS = { access: 'https://access.line.me', api: 'https://api.line.me' } as const;
const PATHS = {
  authorize: '/oauth2/v2.1/authorize',
  token: '/oauth2/v2.1/token',
  profile: '/v2/profile',
  revoke: '/oauth2/v2.1/revoke',
  certs: '/oauth2/v2.1/certs',
} as const;
const ISSUER = 'https://access.line.me';

/** Options for {@link line}. `clientId` is the channel ID, `clientSecret` the channel secret. */
export interface LineOptions extends ProviderOptionsBase {
  /**
   * Default `['profile', 'openid']`. Add `'email'` once the channel has the email permission
   * (LINE Developers Console > the channel > Basic settings > OpenID Connect > Email address
   * permission > Apply).
   */
  scopes?: string[];
  /** `consent`: LINE shows its consent screen again. */
  prompt?: 'consent';
  /** `normal` or `aggressive`: offer to add the channel's LINE Official Account as a friend. */
  botPrompt?: 'normal' | 'aggressive';
}

export { toProfile, type LineIdTokenClaims } from './profile';

/**
 * The LINE provider. The web login's ID token is HS256, keyed with the channel secret ("for web
 * login, HS256"), which is why a generic OpenID Connect client (told ES256 by LINE's discovery)
 * refuses it; here it is verified with that secret, and it is the profile (the email is only in
 * it). PKCE S256 and a nonce on every sign-in.
 *
 * @example
 * ```ts
 * line({ scopes: ['profile', 'openid', 'email'] });
 * line({ ...DEFAULT_CLIENTS.line, origin: emulator.origin });
 * ```
 */
export function line(options: LineOptions = {}): ProviderPlugin {
  const { clientId, clientSecret, url, issues } = providerBasics(options, 'LINE');
  const tokenURL = url(HOSTS.api, PATHS.token);
  const idToken: IdTokenPolicy = {
    issuers: [ISSUER],
    // Not read for HS256: the native SDKs' ES256 tokens would use it.
    jwksURL: url(HOSTS.api, PATHS.certs),
    clientId,
    algorithms: ['HS256'],
    hmacSecret: clientSecret,
  };
  return {
    id: 'line',
    name: 'LINE',
    pkce: true,
    // LINE does not say it verifies the address.
    trustsEmail: false,
    idToken,
    profileURL: url(HOSTS.api, PATHS.profile),
    validate: issues,
    authCode: {
      clientId,
      clientSecret,
      // No profile endpoint: the verified ID token is the profile (the email is only there).
      endpoints: { authorize: url(HOSTS.access, PATHS.authorize), token: tokenURL, pkce: true },
      scopes: options.scopes ?? ['profile', 'openid'],
      authorizationParams: { prompt: options.prompt, bot_prompt: options.botPrompt },
      nonce: true,
      describeProfileError: (status, body) => describeAnswer('LINE', status, body),
    },
    toProfile,
    refresh: (tokens) => refreshTokens({ tokenURL, clientId, clientSecret }, tokens),
    // POST /oauth2/v2.1/revoke takes the access token as `access_token`, not RFC 7009's `token`.
    async revoke(tokens) {
      const { status, body } = await postForm(
        url(HOSTS.api, PATHS.revoke),
        { client_id: clientId, client_secret: clientSecret, access_token: tokens.accessToken },
        'revoke_failed',
      );
      if (status !== 200) {
        throw revokeRefused(
          status,
          describeAnswer('LINE', status, body as Record<string, unknown> | undefined),
        );
      }
    },
  };
}
