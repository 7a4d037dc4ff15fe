import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { SocialAuthError } from '../errors';
import type { IdTokenPolicy, ProviderPlugin } from '../provider/contract';
import { remoteKeySet } from './remote-keys';

type KeySet = JWTVerifyGetKey;
let joseModule: Promise<typeof import('jose')> | undefined;
/** jose is loaded with the first ID token, not at start-up (about 25 ms of the import). */
const jose = () => (joseModule ??= import('jose'));

/** Verifies ID tokens for one provider; the key set is fetched once and cached (remoteKeySet). */
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
      // OpenID Connect Core §3.1.3.7: signature, iss (exact), aud, exp, alg.
      ({ payload } = await jwtVerify(idToken, await keySet(), {
        issuer: [...policy.issuers],
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
 * RFC 9207 §2.4: when the authorization response carries `iss`, it must be, exactly, an issuer of
 * the provider the flow was sent to; otherwise the response is rejected before any token
 * request (a mix-up, RFC 9700 §4.4). Throws `state_mismatch`, the code for a response that
 * belongs to another sign-in. A provider that names no issuer (no ID token policy) has nothing
 * to compare with: its own redirect URI and provider-bound state are its mix-up defence
 * (RFC 9700 §4.4.2).
 *
 * @example
 * ```ts
 * const flow = takeFlow(req, plugin.id, req.query.state, config.cookieName);
 * checkIssuerParam(plugin, req.query);
 * ```
 */
export function checkIssuerParam(plugin: ProviderPlugin, query: Record<string, unknown>): void {
  if (!Object.hasOwn(query, 'iss')) return;
  const issuers = plugin.idToken?.issuers;
  if (!issuers) return;
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
 * `exp`, `iat`), but the audience may be any of the app's client ids, and the nonce is checked
 * when the app sent one. A token for another app is `token_audience_mismatch`.
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
        issuer: [...policy.issuers],
        algorithms: [...policy.algorithms],
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
      }));
    } catch (err) {
      throw new SocialAuthError('id_token_invalid', 'The ID token failed verification', {
        cause: err,
      });
    }
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
