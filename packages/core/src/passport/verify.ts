import { SocialAuthError, asSocialAuthError } from '../errors';
import type { ProviderPlugin, SocialProfile, TokenSet, VerifyCallback } from '../contract';
import { toTokenSet } from '../tokens/endpoints';
import { idTokenVerifier } from '../tokens/id-token';
import { consumedFlow } from './state-store';

/** What a strategy's verify callback hands back: the mapped profile and the tokens. */
export interface Verified {
  profile: SocialProfile;
  tokens: TokenSet;
}

/**
 * Checks the ID token and maps the profile; accounts come after. The ID token is required when
 * the provider has an ID token policy and the authorization request asked for `openid`, and
 * checked whenever one arrives.
 */
export function verifier(plugin: ProviderPlugin): VerifyCallback {
  const checkIdToken = plugin.idToken ? idTokenVerifier(plugin.idToken) : undefined;
  // A `function`, not an arrow: passport-oauth2 calls it as its strategy's method, and `this`
  // tells what the authorization request asked for.
  return function (this: unknown, req, _accessToken, refreshToken, params, rawProfile, done) {
    const openidRequested = requestedOpenId(this);
    const run = async (): Promise<Verified> => {
      const profile = plugin.toProfile(rawProfile._raw ?? rawProfile._json);
      const idToken = params.id_token;
      if (checkIdToken && (idToken !== undefined || openidRequested)) {
        // OIDC Core §3.1.3.3: the token response to an `openid` request carries an ID token.
        // Without one, the §3.1.3.7 checks (nonce, iss, aud) would silently not happen.
        if (typeof idToken !== 'string' || idToken === '') {
          throw new SocialAuthError('id_token_invalid', 'The token response carried no ID token');
        }
        const claims = await checkIdToken(idToken, consumedFlow(req)?.nonce);
        if (claims.sub !== profile.id) {
          throw new SocialAuthError('id_token_invalid', 'The ID token names another subject');
        }
      }
      // node-oauth hands the refresh token separately from the other parameters.
      return { profile, tokens: toTokenSet({ ...params, refresh_token: refreshToken }) };
    };
    run().then(
      (verified) => done(null, verified as unknown as Express.User),
      (err: unknown) => done(asSocialAuthError(err, 'profile_fetch_failed')),
    );
  };

  /**
   * Whether `openid` was among the scopes the strategy sent (passport-oauth2 keeps them in
   * `_scope`, as an array or a string, and core passes no per-request scope). Unknown counts as
   * requested: a plugin that declares an ID token policy gets its ID token checked.
   */
  function requestedOpenId(strategy: unknown): boolean {
    const scope = (strategy as { _scope?: unknown } | undefined)?._scope;
    if (typeof scope !== 'string' && !Array.isArray(scope)) return true;
    const list = Array.isArray(scope) ? scope.join(' ') : scope;
    return list.split(/[\s,]+/).includes('openid');
  }
}
