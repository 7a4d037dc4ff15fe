/**
 * Google sign-in (OpenID Connect) for `@socialauth/core`.
 *
 * @example
 * ```ts
 * import { google } from '@socialauth/google';
 * app.use(socialAuth({ ..., providers: [google()] })); // reads GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET
 * ```
 * @packageDocumentation
 */
import { toProfile, type GoogleUserInfo } from './profile';
import {
  SocialAuthError,
  appIdTokenVerifier,
  type IdTokenPolicy,
  describeAnswer,
  providerBasics,
  refreshTokens,
  revokeAt,
  type ProviderOptionsBase,
  type ProviderPlugin,
} from '@socialauth/core/provider';

// Google spreads its endpoints over four hosts. An `origin` override replaces the host only.
const HOSTS = {
  accounts: 'https://accounts.google.com',
  oauth2: 'https://oauth2.googleapis.com',
  openid: 'https://openidconnect.googleapis.com',
  apis: 'https://www.googleapis.com',
} as const;
const PATHS = {
  authorize: '/o/oauth2/v2/auth',
  token: '/token',
  userinfo: '/v1/userinfo',
  revoke: '/revoke',
  jwks: '/oauth2/v3/certs',
} as const;
// Google's ID tokens carry either spelling (OpenID Connect guide, "Validating an ID token").
const ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

/** Options for {@link google}. */
export interface GoogleOptions extends ProviderOptionsBase {
  /** Default `['openid', 'email', 'profile']`. */
  scopes?: string[];
  /** Only accept accounts of this Workspace domain (checked on the `hd` claim, not just hinted). */
  hostedDomain?: string;
  prompt?: 'none' | 'consent' | 'select_account';
  /** `offline` to receive a refresh token. Default `online`. */
  accessType?: 'online' | 'offline';
  /**
   * The client ids of your Android and iOS apps (and any other web client), whose Google Sign-In
   * ID tokens `POST /auth/google/token` accepts besides this client's own.
   */
  appClientIds?: readonly string[];
}

export { toProfile, type GoogleUserInfo } from './profile';

/**
 * The Google provider. Credentials default to `GOOGLE_CLIENT_ID` / `GOOGLE_CLIENT_SECRET`.
 *
 * @example
 * ```ts
 * google({ hostedDomain: 'example.org', accessType: 'offline' });
 * google({ clientId: 'emulator-google-client-id', clientSecret: '...', origin: emulator.origin });
 * ```
 */
export function google(options: GoogleOptions = {}): ProviderPlugin {
  const { clientId, clientSecret, url, issues } = providerBasics(options, 'GOOGLE');
  const tokenURL = url(HOSTS.oauth2, PATHS.token);

  const idToken: IdTokenPolicy = {
    // Google's issuers whatever the endpoints' origin: an emulator or a proxy speaks as Google.
    issuers: ISSUERS,
    jwksURL: url(HOSTS.apis, PATHS.jwks),
    clientId,
    algorithms: ['RS256'],
  };
  let verifyAppToken: ReturnType<typeof appIdTokenVerifier> | undefined;

  const plugin: ProviderPlugin = {
    id: 'google',
    name: 'Google',
    pkce: true,
    // Google verifies the emails it vouches for (email_verified).
    trustsEmail: true,
    idToken,
    // Google Identity Services' One Tap and button post to <basePath>/google/one-tap.
    oneTap: true,
    // Google's secure browser policy (2021): OAuth in an embedded browser is 403 disallowed_useragent.
    refusesInAppBrowsers: true,
    profileURL: url(HOSTS.openid, PATHS.userinfo),
    validate: issues,
    authCode: {
      clientId,
      clientSecret,
      endpoints: {
        authorize: url(HOSTS.accounts, PATHS.authorize),
        token: tokenURL,
        profile: url(HOSTS.openid, PATHS.userinfo),
        pkce: true,
      },
      scopes: options.scopes ?? ['openid', 'email', 'profile'],
      // `hd` is only a hint a user can edit: toProfile checks the claim.
      authorizationParams: {
        access_type: options.accessType || undefined,
        prompt: options.prompt || undefined,
        hd: options.hostedDomain || undefined,
      },
      // Google's incremental authorization: the new token covers every scope granted before.
      moreScopes: { params: { include_granted_scopes: 'true' } },
      // Google documents `prompt` as none, consent or select_account, and no `max_age`
      // (developers.google.com/identity/protocols/oauth2/openid-connect, checked 2026-12-07):
      // nothing makes it ask for the password again, so the user picks the account again.
      reauthenticate: { params: { prompt: 'select_account' } },
      nonce: true,
      describeProfileError: (status, body) => describeAnswer('Google', status, body),
    },
    // Google Sign-In on a device hands the app an ID token for the app's own client id
    // ("Authenticate with a backend server": verify it, and that its aud is one of yours).
    async tokenSignIn({ idToken: token, nonce }) {
      if (!token)
        throw new SocialAuthError('invalid_request', 'Google signs apps in with an idToken');
      verifyAppToken ??= appIdTokenVerifier(idToken, [clientId, ...(options.appClientIds ?? [])]);
      const claims = await verifyAppToken(token, nonce);
      return { profile: plugin.toProfile(claims) };
    },
    toProfile(raw) {
      const profile = toProfile(raw);
      const hd = (profile.raw as GoogleUserInfo).hd;
      if (options.hostedDomain && hd !== options.hostedDomain) {
        // `hd` in the request is only a hint a user can edit; the claim is what Google vouches for.
        throw new SocialAuthError('access_denied', `The account is not in ${options.hostedDomain}`);
      }
      return profile;
    },
    refresh: (tokens) => refreshTokens({ tokenURL, clientId, clientSecret }, tokens),
    // Revoking the refresh token ends the grant; Google takes the token alone.
    revoke: (tokens) =>
      revokeAt(
        url(HOSTS.oauth2, PATHS.revoke),
        { clientId, clientSecret, name: 'Google' },
        tokens,
        {
          tokenOnly: true,
        },
      ),
  };
  return plugin;
}
