import type { Strategy } from 'passport';
import { asSocialAuthError } from '../errors';
import { toTokenSet } from '../tokens/endpoints';

type TokenCallback = (err: unknown, access?: string, refresh?: string, results?: unknown) => void;
interface OAuth2Internals {
  _oauth2?: {
    useAuthorizationHeaderforGET(use: boolean): void;
    getOAuthAccessToken(code: string, params: object, callback: TokenCallback): void;
    _executeRequest(lib: unknown, options: object, body: unknown, callback: unknown): void;
  };
}
type ProfileFn = (accessToken: string, done: (err?: unknown, profile?: unknown) => void) => void;

/**
 * What every passport-oauth2 strategy needs and none does by itself: the access token in a
 * header, a time limit on every back-channel request, an `error` body treated as an error whatever
 * its status, and profile failures tagged as such. The one place that reaches into node-oauth.
 */
export function harden(strategy: Strategy, timeoutMs: number): Strategy {
  // RFC 6750 §2.3 / RFC 9700 §4.3: node-oauth puts the access token in the profile URL's
  // query unless told to send it as a header. URLs end up in logs; headers do not.
  const oauth2 = (strategy as unknown as OAuth2Internals)._oauth2;
  if (oauth2) {
    oauth2.useAuthorizationHeaderforGET(true);
    // node-oauth waits forever for a provider that never answers: bound every back-channel
    // request (token and profile), so the sign-in fails with a typed error instead of hanging.
    const execute = oauth2._executeRequest.bind(oauth2);
    oauth2._executeRequest = (lib, options, body, callback) =>
      execute(lib, { ...options, signal: AbortSignal.timeout(timeoutMs) }, body, callback);
    // An `error` member is an error whatever the status (Naver answers errors with HTTP 200):
    // never let it pass as a token response.
    const exchange = oauth2.getOAuthAccessToken.bind(oauth2);
    oauth2.getOAuthAccessToken = (code, params, callback) =>
      exchange(code, params, (err, access, refresh, results) => {
        if (err) return callback(err);
        try {
          toTokenSet(results);
        } catch (invalid) {
          return callback(invalid);
        }
        callback(null, access, refresh, results);
      });
  }
  // Failures before verify are either the token call or the profile call: tag the latter
  // here so every provider's errors come out with the same codes.
  const strategyWithProfile = strategy as unknown as { userProfile: ProfileFn };
  const userProfile = strategyWithProfile.userProfile.bind(strategy);
  strategyWithProfile.userProfile = (accessToken, done) =>
    userProfile(accessToken, (err, profile) =>
      err ? done(asSocialAuthError(err, 'profile_fetch_failed')) : done(null, profile),
    );
  return strategy;
}
