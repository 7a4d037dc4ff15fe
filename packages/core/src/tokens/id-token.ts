import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { SocialAuthError } from '../errors';
import type { IdTokenPolicy, ProviderPlugin } from '../contract';
import { remoteKeySet } from './remote-keys';

type KeySet = JWTVerifyGetKey;

/**
 * Seconds this server's clock may differ from the provider's: five minutes, what Google's own
 * verifier (google-auth-library) allows. An `iat` up to this far in the future is taken; beyond
 * it the token is refused (OIDC Core §3.1.3.7 item 10). A provider whose clock runs further ahead
 * than this cannot sign anyone in.
 */
export const CLOCK_SKEW_SECONDS = 300;

/**
 * How old an `iat` a browser sign-in's ID token may carry, in seconds (OIDC Core §3.1.3.7 item
 * 10: "issued too far away from the current time"): the token endpoint minted it a moment ago.
 * The bound openid-client applies to ID tokens of the authorization response, one hour.
 */
export const BROWSER_ID_TOKEN_MAX_AGE_SECONDS = 3600;

/**
 * How old an `iat` an app's ID token (token sign-in) may carry, in seconds: an SDK hands the app
 * a token it obtained earlier and keeps (the Kakao SDK's tokens from a native app key live 12
 * hours), so a day; a week-old token is refused whatever its `exp` says.
 */
export const APP_ID_TOKEN_MAX_AGE_SECONDS = 24 * 3600;
let joseModule: Promise<typeof import('jose')> | undefined;
/** jose is loaded with the first ID token, not at start-up (about 25 ms of the import). */
const jose = () => (joseModule ??= import('jose'));

/**
 * Verifies ID tokens for one provider; the key set is fetched once and cached (remoteKeySet). An `iat`
 * may be {@link CLOCK_SKEW_SECONDS} (five minutes) in the future, and no older than
 * {@link BROWSER_ID_TOKEN_MAX_AGE_SECONDS}; an `exp` in the past is refused.
 */
export function idTokenVerifier(policy: IdTokenPolicy) {
  // Read when the first token arrives, not before: a discovered provider (oidc()) learns its
  // jwks_uri on its first sign-in. A new jwks_uri (a rediscovery) gets a new key set.
  let keys: { url: string; set: KeySet } | undefined;
  const keySet = async () => {
    const url = policy.jwksURL;
    if (keys?.url !== url) keys = { url, set: remoteKeySet(url, await jose()) };
    return keys.set;
  };
  return async (idToken: string, nonce: string | undefined): Promise<JWTPayload> => {
    let payload: JWTPayload;
    try {
      const { jwtVerify } = await jose();
      // OIDC Core §10.1: an HS256 provider's key is the client secret; others sign with their JWKS.
      const secret = policy.hmacSecret;
      const key: KeySet = secret ? () => new TextEncoder().encode(secret) : await keySet();
      // OpenID Connect Core §3.1.3.7: signature, iss (exact), aud, exp, alg.
      ({ payload } = await jwtVerify(idToken, key, {
        ...(!policy.issuerFor && { issuer: [...policy.issuers] }),
        audience: policy.clientId,
        algorithms: [...policy.algorithms],
        // OIDC Core §2: iss, sub, aud, exp and iat are REQUIRED; jose checks exp and iat only
        // when present, so a token without them would never expire (§3.1.3.7 items 9-10).
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
      }));
    } catch (err) {
      throw new SocialAuthError('id_token_invalid', 'The ID token failed verification', {
        cause: err,
      });
    }
    checkIssuer(policy, payload);
    checkIssuedAt(payload, BROWSER_ID_TOKEN_MAX_AGE_SECONDS);
    // OIDC Core §3.1.3.7 item 4: with several audiences, azp must be present...
    if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp === undefined) {
      throw new SocialAuthError(
        'id_token_invalid',
        'The ID token names several audiences but no authorized party',
      );
    }
    // ...and item 5: an azp present must be this client, whatever the audiences.
    if (payload.azp !== undefined && payload.azp !== policy.clientId) {
      throw new SocialAuthError('id_token_invalid', 'The ID token was issued to another client');
    }
    // §3.1.2.1 / §15.5.2: the nonce binds the token to this flow (replay protection).
    if (nonce === undefined || payload.nonce !== nonce) {
      throw new SocialAuthError(
        'id_token_invalid',
        'The ID token nonce does not match this sign-in',
      );
    }
    return payload;
  };
}

/**
 * OIDC Core §3.1.3.7 item 2 for a multi-tenant provider: `iss` exactly the issuer its own claims
 * name ({@link IdTokenPolicy.issuerFor}); jose compared the others with `issuers`.
 */
function checkIssuer(policy: IdTokenPolicy, payload: JWTPayload): void {
  if (!policy.issuerFor) return;
  const expected = policy.issuerFor(payload);
  if (expected === undefined || payload.iss !== expected) {
    throw new SocialAuthError(
      'id_token_invalid',
      'The ID token names an issuer (or tenant) this provider does not accept',
    );
  }
}

/**
 * OIDC Core §3.1.3.7 item 10: `iat` no further in the future than {@link CLOCK_SKEW_SECONDS}
 * (a token from the future is a forged or misdated one) and no older than `maxAgeSeconds`. jose
 * checked that it is a number. `exp` gets no such allowance: an expired token is refused at once.
 */
function checkIssuedAt(payload: JWTPayload, maxAgeSeconds: number): void {
  const now = Math.floor(Date.now() / 1000);
  const iat = payload.iat ?? 0;
  if (iat > now + CLOCK_SKEW_SECONDS) {
    throw new SocialAuthError('id_token_invalid', 'The ID token was issued in the future');
  }
  if (iat < now - maxAgeSeconds - CLOCK_SKEW_SECONDS) {
    throw new SocialAuthError('id_token_invalid', 'The ID token was issued too long ago');
  }
}

/**
 * RFC 9207 §2.4: when the authorization response carries `iss`, it must be, exactly, an issuer of
 * the provider the flow was sent to; otherwise the response is rejected before any token
 * request (a mix-up, RFC 9700 §4.4). With `required` (the provider's metadata promises `iss`,
 * {@link IdTokenPolicy.issuerParameterRequired}), a response without it is rejected too. Throws
 * `state_mismatch`, the code for a response that belongs to another sign-in. A provider that
 * names no issuer (no ID token policy) has nothing to compare with: its own redirect URI and
 * provider-bound state are its mix-up defence (RFC 9700 §4.4.2).
 *
 * @example
 * ```ts
 * const flow = takeFlow(req, plugin.id, req.query.state, config.cookieName);
 * checkIssuerParam(plugin, req.query, await plugin.idToken?.issuerParameterRequired?.());
 * ```
 */
export function checkIssuerParam(
  plugin: ProviderPlugin,
  query: Record<string, unknown>,
  required = false,
): void {
  if (!Object.hasOwn(query, 'iss')) {
    // RFC 9207 §2.4: "MUST reject" a response without iss from a server that says it sends one.
    if (required && plugin.idToken) {
      throw new SocialAuthError(
        'state_mismatch',
        'The sign-in response names no issuer, though the provider says it always does',
      );
    }
    return;
  }
  const issuers = plugin.idToken?.issuers;
  // A multi-tenant issuer is known only from the ID token, which is checked for it instead.
  if (!issuers || plugin.idToken?.issuerFor) return;
  const iss = query.iss;
  // Exact string comparison (RFC 9207 §2.4, RFC 3986 §6.2.1): no normalizing, and a repeated
  // or bracketed parameter (an array or object once parsed) is no issuer at all.
  if (typeof iss !== 'string' || !issuers.includes(iss)) {
    throw new SocialAuthError(
      'state_mismatch',
      'The sign-in response names another issuer than the provider it was sent to',
    );
  }
}

/**
 * Verifies an ID token that an app's own SDK obtained (Google Sign-In on Android, iOS or the web):
 * the same checks as a browser sign-in (OpenID Connect Core §3.1.3.7: signature, `iss`, `alg`,
 * `exp`, `iat` within {@link CLOCK_SKEW_SECONDS} of now and at most
 * {@link APP_ID_TOKEN_MAX_AGE_SECONDS} old), but the audience may be any of the app's client ids,
 * and the nonce is checked when the app sent one. A token for another app is `token_audience_mismatch`.
 *
 * @example
 * ```ts
 * const verify = appIdTokenVerifier(policy, [webClientId, androidClientId, iosClientId]);
 * const claims = await verify(idToken, nonce);
 * ```
 */
export function appIdTokenVerifier(policy: IdTokenPolicy, audiences: readonly string[]) {
  let keys: KeySet | undefined;
  return async (idToken: string, nonce?: string): Promise<JWTPayload> => {
    let payload: JWTPayload;
    try {
      const joseLib = await jose();
      const { jwtVerify } = joseLib;
      keys ??= remoteKeySet(policy.jwksURL, joseLib);
      ({ payload } = await jwtVerify(idToken, keys, {
        ...(!policy.issuerFor && { issuer: [...policy.issuers] }),
        algorithms: [...policy.algorithms],
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
      }));
    } catch (err) {
      throw new SocialAuthError('id_token_invalid', 'The ID token failed verification', {
        cause: err,
      });
    }
    checkIssuer(policy, payload);
    checkIssuedAt(payload, APP_ID_TOKEN_MAX_AGE_SECONDS);
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    // §3.1.3.7 items 3-5: every audience must be one of ours; with several, azp names the one.
    if (!aud.every((a) => a !== undefined && audiences.includes(a))) {
      throw new SocialAuthError('token_audience_mismatch', 'The ID token is for another app');
    }
    if (aud.length > 1 && payload.azp === undefined) {
      throw new SocialAuthError('id_token_invalid', 'Several audiences and no authorized party');
    }
    if (payload.azp !== undefined && !audiences.includes(String(payload.azp))) {
      throw new SocialAuthError('token_audience_mismatch', 'The ID token is for another app');
    }
    // §3.1.2.1: a nonce the app sent binds the token to its request (replay protection).
    if (nonce !== undefined && payload.nonce !== nonce) {
      throw new SocialAuthError('id_token_invalid', 'The ID token nonce does not match');
    }
    return payload;
  };
}

/**
 * Verifies a JWT a provider signed that is not an ID token (Sign in with Apple's server-to-server
 * notifications): signature against the provider's JWKS, `alg` from the list, `iss` exact, `aud`
 * one of `audiences`, `iat` within {@link CLOCK_SKEW_SECONDS} of now and at most `maxAgeSeconds`
 * old, `exp` when present. Anything else is `webhook_invalid`.
 *
 * @example
 * ```ts
 * const verify = providerJwtVerifier({ jwksURL, issuers: [ISSUER], audiences: [bundleId], algorithms: ['RS256'], maxAgeSeconds: 86400 });
 * const claims = await verify(body.payload);
 * ```
 */
export function providerJwtVerifier(options: {
  jwksURL: string;
  issuers: readonly string[];
  audiences: readonly string[];
  algorithms: readonly string[];
  maxAgeSeconds: number;
}) {
  let keys: KeySet | undefined;
  return async (jwt: string): Promise<JWTPayload> => {
    let payload: JWTPayload;
    try {
      const joseLib = await jose();
      keys ??= remoteKeySet(options.jwksURL, joseLib);
      ({ payload } = await joseLib.jwtVerify(jwt, keys, {
        issuer: [...options.issuers],
        audience: [...options.audiences],
        algorithms: [...options.algorithms],
        requiredClaims: ['iss', 'aud', 'iat'],
      }));
      checkIssuedAt(payload, options.maxAgeSeconds);
    } catch (err) {
      throw new SocialAuthError('webhook_invalid', 'The signed notification failed verification', {
        cause: err,
      });
    }
    return payload;
  };
}
