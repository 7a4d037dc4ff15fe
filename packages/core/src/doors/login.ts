import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { Passport, type AuthenticateOptions } from 'passport';
import type { ResolvedConfig } from '../config';
import { SocialAuthError } from '../errors';
import type { FailureHandler } from './failure';
import { asSocialAuthError } from './http';
import { checkIssuerParam, idTokenVerifier } from '../tokens/id-token';
import type { ProviderPlugin, VerifyCallback } from '../provider';
import { safeRedirect } from '../flow/redirect';
import { regenerate, save } from '../session/middleware';
import { toTokenSet } from '../tokens/endpoints';
import { flowClaims } from '../flow/claims';
import {
  EXPIRED_REASONS,
  SessionStateStore,
  consumedFlow,
  liveFlows,
  takeFlow,
} from '../flow/state';
import type { AccountRules, PendingLink } from '../accounts/rules';
import type { SessionIndex } from '../session/index';
import type { SocialProfile, TokenSet } from '../provider';
import type { Identity, SocialAuthUser } from '../types';
import type { AccountStore, StoredUser } from '../accounts/types';

type TokenCallback = (err: unknown, access?: string, refresh?: string, results?: unknown) => void;
interface OAuth2Internals {
  _oauth2?: {
    useAuthorizationHeaderforGET(use: boolean): void;
    getOAuthAccessToken(code: string, params: object, callback: TokenCallback): void;
    _executeRequest(lib: unknown, options: object, body: unknown, callback: unknown): void;
  };
}
type ProfileFn = (accessToken: string, done: (err?: unknown, profile?: unknown) => void) => void;

/** Start and callback for every configured provider, on one isolated passport instance. */
export function createLogin(
  config: ResolvedConfig,
  rules: AccountRules,
  onFailure: FailureHandler,
  index: SessionIndex,
) {
  // Never the global singleton: two mounts (or the host app's own passport) cannot collide.
  const passport = new Passport();
  const policy = { origin: config.origin, allowedOrigins: config.allowedOrigins };
  const claims = flowClaims(config.store);

  for (const plugin of config.providers) {
    const strategy = plugin.createStrategy({
      callbackURL: `${config.baseURL}${config.basePath}/${plugin.id}/callback`,
      store: new SessionStateStore(plugin.id),
      verify: verifier(plugin),
    });
    // RFC 6750 §2.3 / RFC 9700 §4.3: node-oauth puts the access token in the profile URL's
    // query unless told to send it as a header. URLs end up in logs; headers do not.
    const oauth2 = (strategy as unknown as OAuth2Internals)._oauth2;
    if (oauth2) {
      oauth2.useAuthorizationHeaderforGET(true);
      // node-oauth waits forever for a provider that never answers: bound every back-channel
      // request (token and profile), so the sign-in fails with a typed error instead of hanging.
      const execute = oauth2._executeRequest.bind(oauth2);
      oauth2._executeRequest = (lib, options, body, callback) =>
        execute(
          lib,
          { ...options, signal: AbortSignal.timeout(config.providerTimeout) },
          body,
          callback,
        );
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
    passport.use(plugin.id, strategy);
  }

  /** `GET /auth/:provider`: state, PKCE and nonce saved in the session, then 302 to the provider. */
  function start(
    plugin: ProviderPlugin,
    req: Request,
    res: Response,
    next: NextFunction,
    connectFor?: string,
  ) {
    // passport-oauth2 takes a start that carries `code` or `error` for a callback (and answers
    // `error` by throwing): those belong only on the callback route.
    const body = req.body as { code?: unknown; error?: unknown } | undefined;
    if (
      req.query.code !== undefined ||
      req.query.error !== undefined ||
      body?.code !== undefined ||
      body?.error !== undefined
    ) {
      onFailure(
        req,
        res,
        new SocialAuthError('invalid_request', 'A sign-in start carried a callback parameter'),
      );
      return;
    }
    const appState = {
      next: safeRedirect(
        req.query.next ?? (req.body as { next?: unknown } | undefined)?.next,
        policy,
      ),
      nonce: plugin.idToken ? randomBytes(32).toString('base64url') : undefined,
      connectFor,
      // Only the link page's own sign-in links name the pending link they are for.
      linkId: pendingLinkFor(req.query.link, req.session.socialauth?.pendingLink)?.id,
    };
    // passport-oauth2 hands an object `state` to the store (its typings only know strings).
    const options = { session: false, state: appState, nonce: appState.nonce };
    // The callback runs only when the start did not redirect: the state store failed (err), or
    // the strategy refused the request.
    passport.authenticate(plugin.id, options as unknown as AuthenticateOptions, (err: unknown) =>
      onFailure(
        req,
        res,
        err
          ? asSocialAuthError(err, 'session_unavailable')
          : new SocialAuthError('invalid_request'),
      ),
    )(req, res, next);
  }

  /** `GET /auth/:provider/callback`: check state before anything else, then exchange the code. */
  async function callback(plugin: ProviderPlugin, req: Request, res: Response, next: NextFunction) {
    res.set('Referrer-Policy', 'no-referrer'); // RFC 9700 §4.2.4: the URL holds the code
    try {
      // RFC 6749 §10.12: no matching state, no token request. The flow is spent either way.
      const flow = takeFlow(req, plugin.id, req.query.state, config.cookieName);
      checkIssuerParam(plugin, req.query); // RFC 9207 §2.4: an `iss` must name this provider
      const error = req.query.error;
      if (error !== undefined) {
        throw error === 'access_denied'
          ? new SocialAuthError('access_denied')
          : new SocialAuthError(
              'provider_error',
              `The provider answered ${String(error).slice(0, 64)}`,
            );
      }
      if (typeof req.query.code !== 'string' || req.query.code === '') {
        throw new SocialAuthError('invalid_request', 'The callback carried no code');
      }
      // Concurrent replays each found the flow in their copy of the session: one wins the claim.
      if (!(await claims.claim(String(req.query.state)))) {
        throw new SocialAuthError('login_expired', EXPIRED_REASONS.state_used, {
          reason: 'state_used',
        });
      }
      const { profile, tokens } = await authenticate(plugin, req, res, next);
      const target = safeRedirect(flow.next, policy) ?? config.afterLogin;
      const data = (req.session.socialauth ??= {});
      if (flow.connectFor !== undefined) {
        // Connecting adds to the signed-in user; it must still be the user who asked.
        if (data.user?.id !== flow.connectFor) throw new SocialAuthError('unauthenticated');
        await rules.connect(flow.connectFor, profile, tokens);
        data.user = await snapshot(config.accounts, data.user, data.user.provider);
        await save(req);
        res.redirect(302, target);
        return;
      }
      const outcome = await rules.signIn(profile, tokens);
      if (outcome.kind === 'pending') {
        data.pendingLink = outcome.link;
        await save(req);
        res.redirect(302, `${config.basePath}/link`);
        return;
      }
      // Fixation (CVE-2022-25896): new id at login. Only other tabs' pending flows come along,
      // and a pending link only into a sign-in started from its own page: a link planted in
      // this browser with someone else's session does not survive the user's usual sign-in.
      const flows = liveFlows(req);
      const pendingLink = pendingLinkFor(flow.linkId, data.pendingLink);
      const user = await snapshot(config.accounts, outcome.user, profile.provider, profile);
      await regenerate(req);
      const now = Date.now();
      req.session.socialauth = {
        user,
        touchedAt: now,
        authenticatedAt: now,
        ...(Object.keys(flows).length > 0 && { flows }),
        ...(pendingLink && { pendingLink }),
      };
      req.session.cookie.maxAge = Math.min(config.maxAge, config.maxLifetime);
      // Listed under the user so that disconnect and "sign out everywhere" can end it.
      const device = req.get('user-agent')?.slice(0, 160);
      await index.add(user.id, {
        sid: req.sessionID,
        provider: profile.provider,
        subject: profile.id,
        ...(device && { device }),
        createdAt: now,
        lastSeenAt: now,
      });
      await save(req);
      res.redirect(302, target);
    } catch (err) {
      onFailure(req, res, asSocialAuthError(err, 'session_unavailable'));
    }
  }

  function authenticate(plugin: ProviderPlugin, req: Request, res: Response, next: NextFunction) {
    return new Promise<Verified>((resolve, reject) => {
      // `callbackState` (already checked) is offered to providers whose token request repeats the
      // state (Naver): their strategy's tokenParams(options) picks it up.
      const options = { session: false, callbackState: req.query.state };
      passport.authenticate(plugin.id, options, (err: unknown, user: unknown) => {
        if (err) reject(asSocialAuthError(err, 'token_exchange_failed'));
        else if (!user) reject(new SocialAuthError('provider_error'));
        else resolve(user as unknown as Verified);
      })(req, res, next);
    });
  }

  return { start, callback };
}

interface Verified {
  profile: SocialProfile;
  tokens: TokenSet;
}

/**
 * Checks the ID token and maps the profile; accounts come after. The ID token is required when
 * the provider has an ID token policy and the authorization request asked for `openid`, and
 * checked whenever one arrives.
 */
function verifier(plugin: ProviderPlugin): VerifyCallback {
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

const PENDING_LINK_TTL_MS = 10 * 60 * 1000;

/** The live pending link whose id is `id`, if that is what the session holds. */
function pendingLinkFor(id: unknown, link: PendingLink | undefined): PendingLink | undefined {
  const live = livePendingLink(link);
  return typeof id === 'string' && live?.id === id ? live : undefined;
}

/** A pending link, unless it is older than ten minutes (then it is as good as gone). */
export function livePendingLink<T extends { createdAt: number }>(
  link: T | undefined,
): T | undefined {
  return link && Date.now() - link.createdAt < PENDING_LINK_TTL_MS ? link : undefined;
}

/** The session's picture of the user: what `req.user` shows, without a store read per request. */
export async function snapshot(
  accounts: AccountStore,
  user: StoredUser | SocialAuthUser,
  provider: string,
  profile?: SocialProfile,
): Promise<SocialAuthUser> {
  const identities: Identity[] = (await accounts.listIdentities(user.id)).map((i) => ({
    provider: i.provider,
    subject: i.subject,
    email: i.email,
    linkedAt: i.linkedAt,
    ...(i.needsReauth && { needsReauth: true }),
  }));
  // Only verified emails are stored on the account itself; a profile's email is shown as well,
  // flagged with what its provider said of it.
  const verified =
    user.email !== undefined
      ? !('emailVerified' in user) || user.emailVerified
      : profile?.email !== undefined && profile.emailVerified;
  return {
    id: user.id,
    name: user.name,
    email: user.email ?? profile?.email,
    emailVerified: verified,
    avatarUrl: user.avatarUrl,
    provider,
    identities,
  };
}
