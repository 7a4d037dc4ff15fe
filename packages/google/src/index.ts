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
import {
  SocialAuthError,
  appIdTokenVerifier,
  parseProfileJson,
  type IdTokenPolicy,
  postForm,
  providerBasics,
  refreshTokens,
  type ProviderOptionsBase,
  type ProviderPlugin,
  type SocialProfile,
} from '@socialauth/core';
import { Strategy as GoogleStrategy } from 'passport-google-oauth20';

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
  appClientIds?: string[];
}

/** Google's OpenID Connect userinfo response. */
export interface GoogleUserInfo {
  /** Permanent account id; up to 255 ASCII characters. */
  sub: string;
  email?: string;
  /** Whether Google verified `email`. */
  email_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  /** Avatar URL. */
  picture?: string;
  /** Workspace domain, absent for consumer accounts. */
  hd?: string;
  locale?: string;
}

function parse(raw: unknown): GoogleUserInfo {
  const info = parseProfileJson(raw, 'Google') as Partial<GoogleUserInfo>;
  if (typeof info.sub !== 'string' || info.sub === '') {
    throw new SocialAuthError('profile_fetch_failed', 'Google returned a profile without sub');
  }
  return info as GoogleUserInfo;
}

/**
 * Maps Google's userinfo (body text or parsed JSON) to the shared profile shape.
 *
 * @example
 * ```ts
 * toProfile({ sub: '1', email: 'a@example.com', email_verified: true }).emailVerified; // true
 * ```
 */
export function toProfile(raw: unknown): SocialProfile {
  const info = parse(raw);
  return {
    provider: 'google',
    id: info.sub,
    email: info.email,
    emailVerified: info.email !== undefined && info.email_verified === true,
    name: info.name,
    avatarUrl: info.picture,
    raw: info,
  };
}

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
  const extraParams = {
    accessType: options.accessType,
    prompt: options.prompt,
    hostedDomain: options.hostedDomain,
  };

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
    profileURL: url(HOSTS.openid, PATHS.userinfo),
    validate: issues,
    createStrategy(ctx) {
      class Strategy extends GoogleStrategy {
        override authorizationParams(opts: Record<string, unknown>): object {
          const params = super.authorizationParams({ ...extraParams, ...opts }) as Record<
            string,
            unknown
          >;
          // OpenID Connect Core §3.1.2.1: binds the ID token to this flow; core checks it.
          if (typeof opts.nonce === 'string') params.nonce = opts.nonce;
          return params;
        }
      }
      // @types/passport-oauth2 predates PKCE-aware state stores (store(req, verifier, ...)).
      return new Strategy(
        {
          clientID: clientId,
          clientSecret,
          callbackURL: ctx.callbackURL,
          authorizationURL: url(HOSTS.accounts, PATHS.authorize),
          tokenURL,
          userProfileURL: url(HOSTS.openid, PATHS.userinfo),
          scope: options.scopes ?? ['openid', 'email', 'profile'],
          pkce: true, // passport-oauth2 sends S256 for `true`, never plain (RFC 7636 §4.2)
          store: ctx.store,
          passReqToCallback: true,
        } as unknown as ConstructorParameters<typeof GoogleStrategy>[0],
        ctx.verify as unknown as ConstructorParameters<typeof GoogleStrategy>[1],
      );
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
    async revoke(tokens) {
      // Revoking the refresh token ends the grant; the access token alone would only expire.
      const token = tokens.refreshToken ?? tokens.accessToken;
      const { status, body } = await postForm(
        url(HOSTS.oauth2, PATHS.revoke),
        { token },
        'revoke_failed',
      );
      if (status !== 200) {
        throw new SocialAuthError('revoke_failed', `Google answered ${status}`, { cause: body });
      }
    },
  };
  return plugin;
}
