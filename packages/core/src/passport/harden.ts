import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type { Strategy } from 'passport';
import { SocialAuthError, asSocialAuthError } from '../errors';
import { MAX_PROVIDER_RESPONSE_BYTES, redirectRefused, tooLarge } from '../net/back-channel';
import type { AuthCodeFlow, ClientAuthMethod, DescribeAnswer, Endpoints } from '../contract';
import { tokenRefusal } from '../tokens/refusal';
import { basicCredentials, toTokenSet } from '../tokens/endpoints';

type TokenCallback = (err: unknown, access?: string, refresh?: string, results?: unknown) => void;
/** node-oauth's request callback: an HTTP error is `{ statusCode, data }`, as it builds them. */
type ExecuteCallback = (
  err: Error | { statusCode: number; data: string } | null,
  result?: string,
  response?: IncomingMessage,
) => void;
interface HttpLibrary {
  request(options: RequestOptions): ClientRequest;
}
interface OAuth2Internals {
  _oauth2?: {
    _agent?: RequestOptions['agent'];
    _authorizeUrl: string;
    _accessTokenUrl: string;
    _clientSecret: string;
    _clientId: string;
    /**
     * socialauth's: how the token request authenticates the client. On the node-oauth client,
     * not the strategy: passport handles each request on an `Object.create(strategy)`, so a field
     * set on `this` there is that request's alone.
     */
    _clientAuth?: ClientAuthMethod;
    _getAccessTokenUrl(): string;
    _request(
      method: string,
      url: string,
      headers: Record<string, string>,
      body: string,
      accessToken: string | null,
      callback: (...args: unknown[]) => void,
    ): void;
    get(
      url: string,
      accessToken: string,
      callback: (err: { statusCode?: number; data?: unknown } | null, body?: string) => void,
    ): void;
    useAuthorizationHeaderforGET(use: boolean): void;
    getOAuthAccessToken(code: string, params: object, callback: TokenCallback): void;
    _executeRequest(
      lib: HttpLibrary,
      options: RequestOptions,
      body: string | Buffer | undefined,
      callback: ExecuteCallback,
    ): void;
  };
  /** passport-oauth2's PKCE method, read as each authorization request is built. */
  _pkceMethod?: string;
}
type ProfileFn = (accessToken: string, done: (err?: unknown, profile?: unknown) => void) => void;

/**
 * What every passport-oauth2 strategy needs and none does by itself: the access token in a
 * header, a time limit on every back-channel request, an `error` body treated as an error whatever
 * its status, and profile failures tagged as such. The one place that reaches into node-oauth.
 */
export function harden(
  strategy: Strategy,
  timeoutMs: number,
  flow: Pick<AuthCodeFlow, 'describeTokenError'> = {},
  /** Hears whether each back-channel call got an answer (the outage breaker). */
  onAnswer: (answered: boolean) => void = () => {},
): Strategy {
  // RFC 6750 §2.3 / RFC 9700 §4.3: node-oauth puts the access token in the profile URL's
  // query unless told to send it as a header. URLs end up in logs; headers do not.
  const oauth2 = (strategy as unknown as OAuth2Internals)._oauth2;
  if (oauth2) {
    oauth2.useAuthorizationHeaderforGET(true);
    // node-oauth waits forever for a provider that never answers, buffers any body whole, and
    // hands a 301/302 body on as a success: every back-channel request (token and profile) goes
    // through executeRequest instead, bounded in time and size, refusing redirects.
    oauth2._executeRequest = (lib, options, body, callback) =>
      executeRequest(
        lib,
        {
          ...options,
          ...(oauth2._agent && { agent: oauth2._agent }),
          signal: AbortSignal.timeout(timeoutMs),
        },
        body,
        (err, result, response) => {
          // No answer (refused, reset, timed out) or a 5xx: the provider is in trouble. A
          // refused redirect or an oversized body is an answer, if an unwelcome one.
          const status = err && 'statusCode' in err ? err.statusCode : undefined;
          const answered =
            !err || err instanceof SocialAuthError || (status !== undefined && status < 500);
          onAnswer(answered);
          callback(err, result, response);
        },
      );
    // RFC 6749 §2.3.1: node-oauth always puts the credentials in the token request's body; a
    // provider that takes HTTP Basic gets them in the header instead, and not in the body too.
    const request = oauth2._request.bind(oauth2);
    oauth2._request = (method, url, headers, body, accessToken, callback) => {
      if (
        oauth2._clientAuth !== 'client_secret_basic' ||
        method !== 'POST' ||
        url !== oauth2._getAccessTokenUrl()
      ) {
        return request(method, url, headers, body, accessToken, callback);
      }
      const form = new URLSearchParams(body);
      form.delete('client_id');
      form.delete('client_secret');
      const basic = { Authorization: basicCredentials(oauth2._clientId, oauth2._clientSecret) };
      request(method, url, { ...headers, ...basic }, form.toString(), accessToken, callback);
    };
    // An `error` member is an error whatever the status (Naver answers errors with HTTP 200):
    // never let it pass as a token response.
    const exchange = oauth2.getOAuthAccessToken.bind(oauth2);
    oauth2.getOAuthAccessToken = (code, params, callback) =>
      exchange(code, params, (err, access, refresh, results) => {
        if (err) return callback(err);
        try {
          toTokenSet(results);
        } catch (invalid) {
          return callback(tokenRefusal(flow, 200, results) ?? invalid);
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

/**
 * Points a passport-oauth2 strategy at endpoints found after it was built (a discovery): node-oauth
 * and passport-oauth2 read these fields as each request is handled.
 */
export function pointAt(strategy: Strategy, endpoints: Endpoints): void {
  const internals = strategy as unknown as OAuth2Internals;
  if (!internals._oauth2) return;
  internals._oauth2._authorizeUrl = endpoints.authorize;
  internals._oauth2._accessTokenUrl = endpoints.token;
  // RFC 7636 §4.2 / RFC 9700 §2.1.1: S256, never plain, whenever the provider takes it.
  internals._pkceMethod = endpoints.pkce ? 'S256' : undefined;
  clientAuthOf(strategy, endpoints);
}

/** Sets how the strategy's token requests authenticate the client (RFC 6749 §2.3.1). */
export function clientAuthOf(strategy: Strategy, endpoints: Endpoints): void {
  const oauth2 = (strategy as unknown as OAuth2Internals)._oauth2;
  if (oauth2) oauth2._clientAuth = endpoints.clientAuth;
}

/**
 * Makes a passport-oauth2 strategy read its client secret from `secret` at every token request
 * (node-oauth puts `_clientSecret` in each token request's body): for a secret the plugin makes
 * and renews itself, such as Sign in with Apple's signed JWT.
 */
export function secretFrom(strategy: Strategy, secret: () => string): void {
  const internals = strategy as unknown as OAuth2Internals;
  if (!internals._oauth2) return;
  Object.defineProperty(internals._oauth2, '_clientSecret', { get: secret, configurable: true });
}

/**
 * What a strategy's `userProfile` hands passport: the body text (or, from a plugin's
 * `loadProfile`, its JSON), for the plugin's `toProfile`.
 */
export type ProfileDone = (
  err?: Error | null,
  profile?: { _raw?: string; _json?: unknown },
) => void;

/**
 * GETs the profile with the strategy's node-oauth client (the Bearer token in a header once
 * hardened) and hands the body text on, untouched (so wrappers like Naver's `resultcode` and
 * Kakao's 64-bit ids are read by `toProfile`). An HTTP error becomes `profile_fetch_failed` with
 * the provider's own words from `describe`.
 */
export function profileGet(
  strategy: Strategy,
  url: string,
  accessToken: string,
  describe: DescribeAnswer,
  done: ProfileDone,
): void {
  const oauth2 = (strategy as unknown as Required<OAuth2Internals>)._oauth2;
  oauth2.get(url, accessToken, (err, body) => {
    if (!err) return done(null, { _raw: body });
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = JSON.parse(String(err.data)) as Record<string, unknown>;
    } catch {
      parsed = undefined;
    }
    // A refused redirect or an oversized answer comes as the SocialAuthError saying so.
    const cause = err instanceof Error ? err : undefined;
    done(new SocialAuthError('profile_fetch_failed', describe(err.statusCode, parsed), { cause }));
  });
}

/**
 * node-oauth's `_executeRequest`, kept to its callback contract, with what a back channel needs:
 * a 3xx is refused, not followed nor read (it would point the code, the client secret or the
 * access token elsewhere: SECURITY.md "Back-channel requests", RFC 6749 §10.9); the body is read
 * up to MAX_PROVIDER_RESPONSE_BYTES, and past it the request is destroyed, so the rest is never
 * received.
 */
function executeRequest(
  lib: HttpLibrary,
  options: RequestOptions,
  body: string | Buffer | undefined,
  callback: ExecuteCallback,
): void {
  let called = false;
  const finish: ExecuteCallback = (err, result, response) => {
    if (called) return;
    called = true;
    callback(err, result, response);
  };
  const request = lib.request(options);
  const refuse = (err: Error) => {
    finish(err);
    request.destroy();
  };
  request.on('response', (response: IncomingMessage) => {
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400) return refuse(redirectRefused('provider_error', status));
    if (Number(response.headers['content-length']) > MAX_PROVIDER_RESPONSE_BYTES) {
      return refuse(tooLarge('provider_error'));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PROVIDER_RESPONSE_BYTES) refuse(tooLarge('provider_error'));
      else chunks.push(chunk);
    });
    response.on('end', () => {
      const result = Buffer.concat(chunks).toString('utf8');
      if (status >= 200 && status <= 299) finish(null, result, response);
      else finish({ statusCode: status, data: result });
    });
    response.on('error', (err) => finish(err));
    // After 'end' this is a no-op; before it, the answer was cut short.
    response.on('close', () => finish(new Error('The provider closed the connection early')));
  });
  request.on('error', (err) => finish(err));
  if ((options.method === 'POST' || options.method === 'PUT') && body) request.write(body);
  request.end();
}
