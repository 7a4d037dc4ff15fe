import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { SocialAuthError } from './errors';
import type { IdTokenPolicy } from './provider';

/** Verifies ID tokens for one provider; the key set is fetched once and cached by jose. */
export function idTokenVerifier(policy: IdTokenPolicy) {
  const keys = createRemoteJWKSet(new URL(policy.jwksURL));
  return async (idToken: string, nonce: string | undefined): Promise<JWTPayload> => {
    let payload: JWTPayload;
    try {
      // OpenID Connect Core §3.1.3.7: signature, iss (exact), aud, exp, alg.
      ({ payload } = await jwtVerify(idToken, keys, {
        issuer: [...policy.issuers],
        audience: policy.clientId,
        algorithms: [...policy.algorithms],
      }));
    } catch (err) {
      throw new SocialAuthError('id_token_invalid', 'The ID token failed verification', {
        cause: err,
      });
    }
    // §3.1.3.7 item 6: with several audiences, azp must be this client.
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
