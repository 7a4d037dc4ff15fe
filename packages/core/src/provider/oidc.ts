import { SocialAuthError } from '../errors';
import { refreshTokens } from '../tokens/endpoints';
import { appIdTokenVerifier } from '../tokens/id-token';
import type {
  AuthCodeFlow,
  ClientAuthMethod,
  ConfigIssue,
  IdTokenPolicy,
  ProviderOptionsBase,
  ProviderPlugin,
  SocialProfile,
  TokenSet,
} from '../contract';
import { issuerIssues, oidcDiscovery, type OidcMetadata } from './discovery';
import { describeAnswer, envPrefix, revokeAt } from './generic';
import { parseProfileJson, providerBasics } from './helpers';

/** The userinfo claims {@link oidc} maps to the shared profile; the subject is always `sub`. */
export interface OidcClaimNames {
  /** Default `email`. */
  email?: string;
  /** Default `email_verified`: `true` (or the string `"true"`) marks the email verified. */
  emailVerified?: string;
  /** Default `name`. */
  name?: string;
  /** Default `nickname`, else `preferred_username`. */
  nickname?: string;
  /** Default `picture`. */
  avatarUrl?: string;
}

/** Options for {@link oidc}. Credentials default to `<ID>_CLIENT_ID` / `<ID>_CLIENT_SECRET`. */
export interface OidcOptions extends ProviderOptionsBase {
  /** Route segment and key, e.g. `'okta'`: lowercase letters, digits and dashes. */
  id: string;
  /** Shown on buttons. Default: the id. */
  name?: string;
  /**
   * The provider's issuer identifier, exactly as its discovery document spells it, e.g.
   * `https://accounts.google.com`. Discovery is read from `<issuer>/.well-known/openid-configuration`.
   */
  issuer: string;
  /** Default `['openid', 'email', 'profile']`; must include `openid`. */
  scopes?: string[];
  /** Claim names for providers that put the profile elsewhere. */
  claims?: OidcClaimNames;
  /** Let a verified email from this provider join an existing user. Default false. */
  trustsEmail?: boolean;
  /** Extra authorization request parameters, e.g. `{ prompt: 'login' }`. */
  authorizationParams?: Record<string, string>;
  /** How to ask for more scopes later (`AuthCodeFlow.moreScopes`). Default: a plain `scope`. */
  moreScopes?: AuthCodeFlow['moreScopes'];
  /**
   * How to have the user authenticate again (`requireRecentLogin`). Default `{ maxAge: true }`:
   * OIDC Core's `max_age`, with the ID token's `auth_time` checked.
   */
  reauthenticate?: AuthCodeFlow['reauthenticate'];
  /** Accepted ID token algorithms. Default: the provider's asymmetric ones (RS, PS, ES, EdDSA). */
  algorithms?: string[];
  /** Milliseconds a discovery document is used before it is read again. Default one hour. */
  discoveryTTL?: number;
  /** Milliseconds the provider gets to answer discovery. Default 10 000. */
  discoveryTimeout?: number;
  /**
   * How the client authenticates at the token (and revocation) endpoint. Default: the body
   * (`client_secret_post`) when discovery lists it, else HTTP Basic (`client_secret_basic`, also
   * the default of OIDC Discovery §3 when the list is absent). Set it when your client is
   * registered for one method only.
   */
  clientAuth?: ClientAuthMethod;
  /** `form_post`: the provider answers with a POST to the callback (Form Post Response Mode). */
  responseMode?: 'form_post';
  /**
   * Client ids of your native or other apps at this provider: their ID tokens are accepted at
   * `POST <basePath>/<id>/token` (`{ idToken, nonce? }`), besides this client's own.
   */
  appClientIds?: readonly string[];
  /**
   * Where the discovery document is, when not at `<issuer>/.well-known/openid-configuration`:
   * a multi-tenant provider's tenant-independent one (Microsoft's `common`).
   */
  discoveryURL?: string;
  /**
   * For an issuer template with `{tenantid}` (Microsoft's
   * `https://login.microsoftonline.com/{tenantid}/v2.0`): the tenants (`tid` values) whose users
   * may sign in. Absent: any tenant. Each ID token's `iss` must be the template filled with its
   * own `tid`, a GUID.
   */
  tenants?: readonly string[];
  /** `false`: never call the userinfo endpoint; the verified ID token is the profile. */
  userinfo?: boolean;
  /**
   * `false`: the provider has no way to revoke a grant (Microsoft's platform has no RFC 7009
   * endpoint), so disconnecting only unlinks. Default: the discovered `revocation_endpoint`.
   */
  revocation?: boolean;
  /**
   * Send PKCE S256 even when discovery does not list `code_challenge_methods_supported`, for a
   * provider that documents PKCE but leaves it out of its document (Microsoft).
   */
  pkce?: boolean;
  /**
   * Adjusts the mapped profile, given the claims it came from (a preset's subject rule). With
   * the userinfo endpoint on it must keep `id`: the ID token's `sub` is checked against it.
   */
  mapProfile?(profile: SocialProfile, claims: Readonly<Record<string, unknown>>): SocialProfile;
}

/** `{tenantid}` in an issuer: the issuer is a template, filled from each token's `tid`. */
const TENANT = '{tenantid}';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A plugin from {@link oidc}, with discovery the app may run at boot. */
export interface OidcPlugin extends ProviderPlugin {
  /**
   * Reads (or returns the cached) discovery document. Sign-ins call it themselves; await it at
   * boot to fail fast on an unreachable provider or an issuer mismatch.
   */
  discover(): Promise<OidcMetadata>;
}

// Verified against the JWKS; none and the HMAC algorithms (keyed with the client secret) are not.
const KNOWN_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/**
 * Any OpenID Connect provider, by its issuer: endpoints from discovery (cached, issuer checked,
 * OIDC Discovery §4.3), ID tokens checked against its JWKS (OIDC Core §3.1.3.7, nonce and
 * all), PKCE S256 when the provider lists it, the profile from userinfo (or, without one, the
 * ID token), client authentication by the method discovery lists. Discovery happens on
 * the first sign-in; `await plugin.discover()` at boot to fail fast.
 *
 * @example
 * ```ts
 * const okta = oidc({ id: 'okta', name: 'Okta', issuer: 'https://example.okta.com' });
 * await okta.discover(); // optional: a wrong issuer fails here instead of at the first sign-in
 * app.use(socialAuth({ baseURL, secret, providers: [okta] })); // OKTA_CLIENT_ID / OKTA_CLIENT_SECRET
 * ```
 */
export function oidc(options: OidcOptions): OidcPlugin {
  const { clientId, clientSecret, origin, issues } = providerBasics(options, envPrefix(options.id));
  const name = options.name ?? options.id;
  const scopes = options.scopes ?? ['openid', 'email', 'profile'];
  const badIssuer = issuerIssues(options.issuer).length > 0;
  const discovery = oidcDiscovery({
    issuer: options.issuer,
    origin,
    ...(options.discoveryURL && { discoveryURL: options.discoveryURL }),
    ttlMs: options.discoveryTTL ?? 3_600_000,
    timeoutMs: options.discoveryTimeout ?? 10_000,
  });
  const discovered = (): OidcMetadata => {
    const doc = discovery.current();
    if (!doc) throw new SocialAuthError('config_invalid', `${name}: not discovered yet`);
    return doc;
  };
  const discover = () => {
    if (badIssuer)
      return Promise.reject(
        new SocialAuthError('config_invalid', issuerIssues(options.issuer)[0]!.message),
      );
    return discovery.get().then((doc) => {
      algorithmsOf(doc);
      clientAuthOf(doc);
      return doc;
    });
  };
  const clientAuthOf = (doc: OidcMetadata): ClientAuthMethod => {
    if (options.clientAuth) return options.clientAuth;
    // OIDC Discovery §3: "If omitted, the default is client_secret_basic".
    const listed = doc.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
    if (listed.includes('client_secret_post')) return 'client_secret_post';
    if (listed.includes('client_secret_basic')) return 'client_secret_basic';
    throw new SocialAuthError(
      'config_invalid',
      `issuer: ${name} lists neither client_secret_post nor client_secret_basic among its ` +
        'token endpoint authentication methods; socialauth authenticates with a client secret',
    );
  };
  const algorithmsOf = (doc: OidcMetadata): string[] => {
    const offered = doc.id_token_signing_alg_values_supported ?? ['RS256']; // OIDC Discovery §3
    const accepted = (options.algorithms ?? KNOWN_ALGORITHMS).filter((a) => offered.includes(a));
    if (accepted.length === 0) {
      throw new SocialAuthError(
        'config_invalid',
        `algorithms: ${name} signs ID tokens with none of ${KNOWN_ALGORITHMS.join(', ')}`,
      );
    }
    return accepted;
  };

  // Read when a token arrives, after the sign-in's discovery: keys and algorithms of the
  // current document (OIDC Core §3.1.3.7 items 2, 6 and 7).
  const template = options.issuer.includes(TENANT);
  const idToken: IdTokenPolicy = {
    issuers: [options.issuer],
    // Microsoft's rule ("Validate the issuer"): `tid` is a GUID, and `iss` the template with it.
    ...(template && {
      issuerFor(claims: Readonly<Record<string, unknown>>) {
        const { tid } = claims;
        if (typeof tid !== 'string' || !GUID.test(tid)) return undefined;
        if (options.tenants && !options.tenants.includes(tid)) return undefined;
        return options.issuer.replace(TENANT, tid);
      },
    }),
    clientId,
    get jwksURL() {
      return discovered().jwks_uri;
    },
    get algorithms() {
      return algorithmsOf(discovered());
    },
    // Awaited at the callback, before the token request: another instance may have started the
    // flow, so this one may not have read the document yet.
    issuerParameterRequired: async () =>
      (await discover()).authorization_response_iss_parameter_supported === true,
  };
  const claims = { ...options.claims };
  let verifyAppToken: ReturnType<typeof appIdTokenVerifier> | undefined;

  function toProfile(raw: unknown): SocialProfile {
    const info = parseProfileJson(raw, name);
    if (typeof info.sub !== 'string' || info.sub === '') {
      throw new SocialAuthError('profile_fetch_failed', `${name} returned a profile without sub`);
    }
    const str = (claim: string) =>
      typeof info[claim] === 'string' ? (info[claim] as string) : undefined;
    const email = str(claims.email ?? 'email');
    const verified = info[claims.emailVerified ?? 'email_verified'];
    return {
      provider: options.id,
      id: info.sub,
      email,
      emailVerified: email !== undefined && (verified === true || verified === 'true'),
      name: str(claims.name ?? 'name'),
      nickname: claims.nickname
        ? str(claims.nickname)
        : (str('nickname') ?? str('preferred_username')),
      avatarUrl: str(claims.avatarUrl ?? 'picture'),
      raw: info,
    };
  }
  const mapped = (raw: unknown): SocialProfile => {
    const profile = toProfile(raw);
    return options.mapProfile
      ? options.mapProfile(profile, profile.raw as Record<string, unknown>)
      : profile;
  };

  return {
    id: options.id,
    name,
    get pkce() {
      if (options.pkce) return true;
      return discovery.current()?.code_challenge_methods_supported?.includes('S256') === true;
    },
    trustsEmail: options.trustsEmail ?? false,
    idToken,
    get profileURL() {
      return options.userinfo === false ? undefined : discovery.current()?.userinfo_endpoint;
    },
    validate(): ConfigIssue[] {
      const list = [...issues(), ...issuerIssues(options.issuer)];
      if (!scopes.includes('openid')) {
        list.push({ field: 'scopes', message: 'scopes must include openid (OIDC Core §3.1.2.1)' });
      }
      return list;
    },
    discover,
    authCode: {
      clientId,
      clientSecret,
      scopes,
      scopeSeparator: ' ',
      authorizationParams: options.authorizationParams,
      ...(options.moreScopes && { moreScopes: options.moreScopes }),
      reauthenticate: options.reauthenticate ?? { maxAge: true },
      nonce: true,
      ...(options.responseMode && { responseMode: options.responseMode }),
      describeProfileError: (status, body) => describeAnswer(name, status, body),
      endpoints: () =>
        discover().then((doc) => ({
          authorize: doc.authorization_endpoint,
          token: doc.token_endpoint,
          profile: options.userinfo === false ? undefined : doc.userinfo_endpoint,
          // RFC 7636 §4.3: only when the provider says it takes S256 (OIDC Discovery, RFC 8414 §2).
          pkce:
            options.pkce === true ||
            doc.code_challenge_methods_supported?.includes('S256') === true,
          clientAuth: clientAuthOf(doc),
        })),
    },
    toProfile: mapped,
    async refresh(tokens) {
      const doc = await discover();
      const endpoint = { tokenURL: doc.token_endpoint, clientId, clientSecret };
      return refreshTokens({ ...endpoint, clientAuth: clientAuthOf(doc) }, tokens);
    },
    ...(options.revocation !== false && {
      async revoke(tokens: TokenSet) {
        const doc = await discover();
        if (!doc.revocation_endpoint) {
          throw new SocialAuthError('revoke_failed', `${name} publishes no revocation_endpoint`);
        }
        const client = { clientId, clientSecret, name, clientAuth: clientAuthOf(doc) };
        await revokeAt(doc.revocation_endpoint, client, tokens);
      },
    }),
    ...(options.appClientIds && {
      // An app's own ID token (OIDC Core §3.1.3.7), its `aud` one of this app's client ids.
      async tokenSignIn({ idToken: token, nonce }) {
        if (!token)
          throw new SocialAuthError('invalid_request', `${name} signs apps in with an idToken`);
        await discover();
        verifyAppToken ??= appIdTokenVerifier(idToken, [clientId, ...(options.appClientIds ?? [])]);
        return { profile: mapped(await verifyAppToken(token, nonce)) };
      },
    }),
  };
}
