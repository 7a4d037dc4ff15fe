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
    const flow = consumedFlow(req);
    const openidRequested = flow?.scopes ? flow.scopes.includes('openid') : requestedOpenId(this);
    const run = async (): Promise<Verified> => {
      // Without a profile endpoint (strategy.ts hands `{}`), the ID token's claims are the profile.
      const fromIdToken = rawProfile._raw === undefined && rawProfile._json === undefined;
      const idToken = params.id_token;
      let claims: { sub?: unknown; auth_time?: unknown } | undefined;
      if (checkIdToken && (idToken !== undefined || openidRequested || fromIdToken)) {
        // OIDC Core §3.1.3.3: the token response to an `openid` request carries an ID token.
        // Without one, the §3.1.3.7 checks (nonce, iss, aud) would silently not happen.
        if (typeof idToken !== 'string' || idToken === '') {
          throw new SocialAuthError('id_token_invalid', 'The token response carried no ID token');
        }
        claims = await checkIdToken(idToken, flow?.nonce);
      }
      if (flow?.maxAge !== undefined) checkAuthTime(claims, flow.createdAt, flow.maxAge);
      if (fromIdToken && !claims) {
        throw new SocialAuthError('profile_fetch_failed', 'No profile endpoint and no ID token');
      }
      const mapped = plugin.toProfile(fromIdToken ? claims : (rawProfile._raw ?? rawProfile._json));
      // A profile from another endpoint must be the ID token's user; one made from the ID
      // token's own claims is (its id may combine claims: Microsoft's tid and oid).
      if (claims && !fromIdToken && claims.sub !== mapped.id) {
        throw new SocialAuthError('id_token_invalid', 'The ID token names another subject');
      }
      const profile = withCallbackDetails(mapped, plugin, req);
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

/** Allowance for the provider's clock against ours when reading `auth_time`. */
const AUTH_TIME_SKEW_SECONDS = 60;

/**
 * OIDC Core §3.1.2.1 and §3.1.3.7 item 13: a request with `max_age` gets an ID token with
 * `auth_time`, and the user must have authenticated within `maxAge` seconds of the request.
 */
function checkAuthTime(
  claims: { auth_time?: unknown } | undefined,
  requestedAt: number,
  maxAge: number,
): void {
  const at = claims?.auth_time;
  if (typeof at !== 'number' || !Number.isFinite(at)) {
    throw new SocialAuthError('id_token_invalid', 'A max_age request got no auth_time');
  }
  if (at < requestedAt / 1000 - maxAge - AUTH_TIME_SKEW_SECONDS) {
    throw new SocialAuthError(
      'id_token_invalid',
      'The provider did not authenticate the user again',
    );
  }
}

/**
 * The profile with what the callback itself said (`AuthCodeFlow.callbackProfile`: Apple's `user`
 * field) where the provider's profile left it out. The callback's parameters are its form for a
 * POST (form_post), its query otherwise.
 */
function withCallbackDetails(
  profile: SocialProfile,
  plugin: ProviderPlugin,
  req: Parameters<VerifyCallback>[0],
): SocialProfile {
  const read = plugin.authCode.callbackProfile;
  if (!read) return profile;
  const source: unknown = req.method === 'POST' ? req.body : req.query;
  const params = typeof source === 'object' && source !== null ? source : {};
  let details: Partial<Pick<SocialProfile, 'name' | 'nickname'>>;
  try {
    details = read(params as Record<string, unknown>);
  } catch {
    return profile; // the callback's extras are a courtesy: never a reason to fail a sign-in
  }
  const merged = { ...profile };
  for (const key of ['name', 'nickname'] as const) {
    const value = details[key];
    if (merged[key] === undefined && typeof value === 'string') merged[key] = value;
  }
  return merged;
}
