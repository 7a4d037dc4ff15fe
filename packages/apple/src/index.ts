/**
 * Sign in with Apple for `@socialauth/core`.
 *
 * @example
 * ```ts
 * import { apple } from '@socialauth/apple';
 * // reads APPLE_CLIENT_ID, APPLE_TEAM_ID, APPLE_KEY_ID and APPLE_PRIVATE_KEY
 * app.use(socialAuth({ ..., providers: [apple({ appClientIds: ['com.example.app'] })] }));
 * ```
 * @packageDocumentation
 */
import {
  describeAnswer,
  emulatorCredentialIssues,
  providerBasics,
  refreshTokens,
  revokeAt,
  type ConfigIssue,
  type IdTokenPolicy,
  type ProviderOptionsBase,
  type ProviderPlugin,
  type TokenSet,
} from '@socialauth/core/provider';
import { appleTokenSignIn } from './app-token';
import { clientSecrets, readPrivateKey } from './client-secret';
import { nameFromUser, toProfile } from './profile';
import { notificationVerifier } from './webhook';

// developer.apple.com/documentation/signinwithapplerestapi (checked 2026-12-07).
const HOST = 'https://appleid.apple.com';
const PATHS = {
  authorize: '/auth/authorize',
  token: '/auth/token',
  revoke: '/auth/revoke',
  jwks: '/auth/keys',
} as const;
/** The `iss` of Apple's ID tokens and notifications, whatever origin serves them. */
const ISSUER = 'https://appleid.apple.com';

/** Options for {@link apple}. Apple issues no client secret: the package signs its own. */
export interface AppleOptions extends Omit<ProviderOptionsBase, 'clientSecret'> {
  /** The Services ID, e.g. `com.example.web` (default `APPLE_CLIENT_ID`). */
  clientId?: string;
  /** The 10-character Team ID (default `APPLE_TEAM_ID`). */
  teamId?: string;
  /** The 10-character id of the Sign in with Apple key (default `APPLE_KEY_ID`). */
  keyId?: string;
  /** The text of the key's `AuthKey_<keyId>.p8` file (default `APPLE_PRIVATE_KEY`; `\n` escapes are read). */
  privateKey?: string;
  /**
   * Your apps' bundle ids (App IDs): their native identity tokens are accepted at
   * `POST /auth/apple/token`, and notifications addressed to them at `/auth/apple/webhook`.
   */
  appClientIds?: readonly string[];
  /** Default `['name', 'email']`: the name comes once, on the first authorization. */
  scopes?: string[];
}

export { toProfile, nameFromUser, type AppleIdTokenClaims } from './profile';
export { clientSecrets, readPrivateKey, SECRET_LIFETIME_SECONDS } from './client-secret';

/**
 * The Apple provider: the web flow answers by form POST to `<baseURL>/auth/apple/callback`
 * (core posts it again from the site itself, so the SameSite=Lax session cookie comes along),
 * the ID token is the profile, the client secret is an ES256 JWT signed here and renewed hourly.
 *
 * @example
 * ```ts
 * apple({ clientId: 'com.example.web', teamId: 'ABCDE12345', keyId: 'KEY1234567', privateKey: p8 });
 * apple({ ...DEFAULT_CLIENTS.apple, origin: emulator.origin }); // against @socialauth/emulator
 * ```
 */
export function apple(options: AppleOptions = {}): ProviderPlugin {
  const basics = providerBasics({ ...options, clientSecret: 'signed-per-request' }, 'APPLE');
  const { clientId, url } = basics;
  const teamId = options.teamId ?? process.env.APPLE_TEAM_ID ?? '';
  const keyId = options.keyId ?? process.env.APPLE_KEY_ID ?? '';
  const key = readPrivateKey(options.privateKey ?? process.env.APPLE_PRIVATE_KEY);
  const secret = clientSecrets({ teamId, keyId, key: typeof key === 'string' ? undefined : key });
  const tokenURL = url(HOST, PATHS.token);
  const appClientIds = options.appClientIds ?? [];
  const idToken: IdTokenPolicy = {
    issuers: [ISSUER],
    jwksURL: url(HOST, PATHS.jwks),
    clientId,
    algorithms: ['RS256'],
  };
  // Tokens from a native code belong to the app's client (TokenSet.clientId): refresh and revoke
  // must authenticate as that client.
  const clientOf = (tokens: TokenSet) => tokens.clientId ?? clientId;

  return {
    id: 'apple',
    name: 'Apple',
    // Apple documents no PKCE (its discovery lists no code_challenge_methods_supported).
    pkce: false,
    // Apple verifies the addresses it vouches for (email_verified); a relay address is unique to
    // this team's apps, so it can only ever match an account made through Apple.
    trustsEmail: true,
    idToken,
    validate: () => issues(basics.issues(), { teamId, keyId, key }),
    authCode: {
      clientId,
      clientSecret: () => secret(clientId),
      endpoints: { authorize: url(HOST, PATHS.authorize), token: tokenURL, pkce: false },
      scopes: options.scopes ?? ['name', 'email'],
      // "If you requested any scopes, the value must be form_post."
      responseMode: 'form_post',
      nonce: true,
      // Apple's one callback error: the user pressed Cancel.
      deniedErrors: ['user_cancelled_authorize'],
      callbackProfile: (params) => ({ name: nameFromUser(params.user) }),
      describeProfileError: (status, body) => describeAnswer('Apple', status, body),
    },
    toProfile,
    async refresh(tokens) {
      const client = clientOf(tokens);
      const fresh = await refreshTokens(
        { tokenURL, clientId: client, clientSecret: secret(client) },
        tokens,
      );
      return tokens.clientId ? { ...fresh, clientId: tokens.clientId } : fresh;
    },
    // TN3194: revoking the refresh token (or the access token) ends the app's authorization.
    revoke(tokens) {
      const client = clientOf(tokens);
      const credentials = { clientId: client, clientSecret: secret(client), name: 'Apple' };
      return revokeAt(url(HOST, PATHS.revoke), credentials, tokens);
    },
    webhook: notificationVerifier({
      jwksURL: idToken.jwksURL,
      issuer: ISSUER,
      audiences: [clientId, ...appClientIds],
    }),
    tokenSignIn: appleTokenSignIn({
      policy: idToken,
      audiences: [clientId, ...appClientIds],
      tokenURL,
      secret,
    }),
  };
}

function issues(
  base: ConfigIssue[],
  { teamId, keyId, key }: { teamId: string; keyId: string; key: unknown },
): ConfigIssue[] {
  const found = base.filter((issue) => issue.field !== 'clientSecret');
  if (!teamId) {
    found.push({
      field: 'teamId',
      message: 'teamId is required; set APPLE_TEAM_ID or pass teamId',
    });
  }
  if (!keyId) {
    found.push({ field: 'keyId', message: 'keyId is required; set APPLE_KEY_ID or pass keyId' });
  }
  if (typeof key === 'string') found.push({ field: 'privateKey', message: `privateKey ${key}` });
  found.push(
    ...emulatorCredentialIssues({
      teamId: { value: teamId, env: 'APPLE_TEAM_ID' },
      keyId: { value: keyId, env: 'APPLE_KEY_ID' },
    }),
  );
  return found;
}
