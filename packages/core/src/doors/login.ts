import type { NextFunction, Request, Response } from 'express';
import { Passport, type AuthenticateOptions } from 'passport';
import type { ResolvedConfig } from '../config';
import { SocialAuthError, asSocialAuthError } from '../errors';
import { acceptCallback, flowClaims } from '../flow/claims';
import type { FlowContext } from '../flow/context';
import { completeSignIn } from '../flow/sign-in';
import { askFor, startFlow, type Ask, type FlowAppState } from '../flow/start';
import { grantedScopes } from '../accounts/scopes';
import { takeFlow } from '../flow/state';
import { harden } from '../passport/harden';
import { SessionStateStore, markConsumed } from '../passport/state-store';
import { providerStrategy } from '../passport/strategy';
import { verifier, type Verified } from '../passport/verify';
import type { ProviderPlugin } from '../contract';
import { save } from '../session/middleware';
import type { FailureHandler } from './failure';
import { RESUBMITTED, readCallbackForm, sendResubmitPage } from './form-post';
import { sendInAppPage } from './in-app-page';
import { inAppBrowser } from '../flow/in-app';
import { storeSignedIn } from './signed-in';
import { cookieCheck, wantsJson } from './http';

/**
 * The browser door of the sign-in flow: start and callback for every configured provider, on one
 * isolated passport instance. Passport exchanges the code and fetches the profile; the flow
 * (flow/) decides; this door regenerates, saves and redirects.
 */
export function createLogin(config: ResolvedConfig, flow: FlowContext, onFailure: FailureHandler) {
  // Never the global singleton: two mounts (or the host app's own passport) cannot collide.
  const passport = new Passport();
  const { policy } = flow.signIn;
  const claims = flowClaims(flow.coordination);

  for (const plugin of config.providers) {
    const strategy = providerStrategy(plugin, {
      callbackURL: `${config.baseURL}${config.basePath}/${plugin.id}/callback`,
      store: new SessionStateStore(plugin.id),
      verify: verifier(plugin),
    });
    const record = (answered: boolean) => flow.breakers.record(plugin.id, answered);
    passport.use(plugin.id, harden(strategy, config.providerTimeout, plugin.authCode, record));
  }

  /**
   * `GET /auth/:provider`: state, PKCE and nonce saved in the session, then 302 to the provider;
   * a JSON client gets `{ redirectUrl }` instead, to navigate to itself.
   */
  function start(
    plugin: ProviderPlugin,
    req: Request,
    res: Response,
    next: NextFunction,
    connectFor?: string,
  ) {
    // A provider known to be down: the answer at once, with the other ways to sign in.
    if (flow.breakers.isDown(plugin.id)) {
      onFailure(req, res, new SocialAuthError('provider_unavailable', `${plugin.name} is down`));
      return;
    }
    const browser = inAppBrowser(req.headers['user-agent']);
    // A provider that refuses in-app browsers (Google's 403 disallowed_useragent): out first.
    if (plugin.refusesInAppBrowsers && connectFor === undefined && !wantsJson(req)) {
      if (browser) {
        sendInAppPage(req, res, config, plugin, browser);
        return;
      }
    }
    const params = { ...(req.body as Record<string, unknown> | undefined), ...req.query };
    const data = req.session.socialauth;
    let appState: FlowAppState;
    let ask: Ask | undefined;
    // The provider's own words for this start: more consent, a fresh sign-in, a silent try.
    let extraParams: Record<string, string> | undefined;
    try {
      // A connect is its own start: `scope` and `reauth` belong to GET <basePath>/<id>.
      const allowed = config.moreScopes.get(plugin.id) ?? [];
      ask = connectFor === undefined ? askFor(plugin, params, req.user?.id, allowed) : undefined;
      // More consent and a fresh sign-in are for an identity the user has there.
      if (ask && !req.user?.identities.some((i) => i.provider === plugin.id)) {
        throw new SocialAuthError(
          'unknown_provider',
          `No ${plugin.id} identity is connected: connect it first`,
        );
      }
      appState = startFlow(plugin, params, data, policy, connectFor, ask);
      extraParams = ask?.params;
      // Inside the app the provider can sign a member in without a screen: try that first,
      // unless this is the usual sign-in the silent try fell back to.
      const { silent } = plugin.authCode;
      if (silent && !ask && connectFor === undefined && params.interactive === undefined) {
        if (browser && silent.inApp.includes(browser.id)) {
          appState.silent = true;
          extraParams = { ...silent.params };
        }
      }
    } catch (err) {
      onFailure(req, res, asSocialAuthError(err, 'invalid_request'));
      return;
    }
    // passport-oauth2 hands an object `state` to the store (its typings only know strings); a
    // `scope` here replaces the strategy's own for this request only.
    const options = {
      session: false,
      state: appState,
      nonce: appState.nonce,
      ...(ask?.scopes && { scope: ask.scopes }),
      ...(extraParams && { askParams: extraParams }),
    };
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
    )(req, wantsJson(req) ? redirectAsJson(res) : res, next);
  }

  /** `GET /auth/:provider/callback`: check state before anything else, then exchange the code. */
  function callback(plugin: ProviderPlugin, req: Request, res: Response, next: NextFunction) {
    if (plugin.authCode.responseMode === 'form_post') {
      // Form Post Response Mode §2: this provider answers in a POST body, never in the URL.
      res.set('Referrer-Policy', 'no-referrer');
      onFailure(req, res, new SocialAuthError('invalid_request', 'This provider answers by POST'));
      return;
    }
    return finish(plugin, req.query as Record<string, unknown>, req, res, next);
  }

  /**
   * `POST /auth/:provider/callback`, for a provider with `responseMode: 'form_post'` (Sign in
   * with Apple): its cross-site POST arrives without the `SameSite=Lax` session cookie, so the
   * first POST, with no flow in the session for its state, gets this site's own page that posts
   * it again, same-site (form-post.ts). The second one is the callback proper.
   */
  async function formCallback(
    plugin: ProviderPlugin,
    req: Request,
    res: Response,
    next: NextFunction,
  ) {
    res.set('Referrer-Policy', 'no-referrer');
    try {
      if (plugin.authCode.responseMode !== 'form_post') {
        throw new SocialAuthError('invalid_request', 'This provider answers by GET');
      }
      // passport-oauth2 reads a query `code` before the body's: no mixing of the two.
      if (Object.keys(req.query as object).length > 0) {
        throw new SocialAuthError('invalid_request', 'A form_post callback carries no query');
      }
      const fields = await readCallbackForm(req, res);
      const known = req.session.socialauth?.flows?.[fields.state ?? ''] !== undefined;
      if (!known && fields[RESUBMITTED] === undefined) {
        const action = `${config.basePath}/${plugin.id}/callback`;
        sendResubmitPage(req, res, config, action, fields);
        return;
      }
      await finish(plugin, fields, req, res, next);
    } catch (err) {
      onFailure(req, res, asSocialAuthError(err, 'session_unavailable'));
    }
  }

  /** The callback proper, from its parameters (the query, or the form of a form_post). */
  async function finish(
    plugin: ProviderPlugin,
    params: Record<string, unknown>,
    req: Request,
    res: Response,
    next: NextFunction,
  ) {
    res.set('Referrer-Policy', 'no-referrer'); // RFC 9700 §4.2.4: the URL holds the code
    try {
      // RFC 6749 §10.12: no matching state, no token request. The flow is spent either way.
      const pending = takeFlow(
        req.session.socialauth,
        plugin.id,
        params.state,
        cookieCheck(req, config),
      );
      // A One Tap nonce is no state: it was never sent to the authorization endpoint, and its
      // flow has no PKCE verifier (RFC 6749 §10.12, RFC 9700 §4.7).
      if (pending.oneTap)
        throw new SocialAuthError('state_mismatch', 'A One Tap nonce is no state');
      // The silent try found no member to sign in without a screen: the usual sign-in, at once.
      const fallback = plugin.authCode.silent?.fallbackErrors;
      if (pending.silent && typeof params.error === 'string' && fallback?.includes(params.error)) {
        await save(req); // the silent flow is spent
        const query = new URLSearchParams({ interactive: '1' });
        if (pending.next !== undefined) query.set('next', pending.next);
        res.redirect(302, `${config.basePath}/${plugin.id}?${query}`);
        return;
      }
      markConsumed(req, pending);
      await acceptCallback(claims, plugin, params);
      const { profile, tokens } = await authenticate(plugin, req, res, next, params.state);
      const data = (req.session.socialauth ??= {});
      const now = Date.now();
      const requested = pending.scopes ?? [];
      const scopes = grantedScopes(plugin.grantedScopes, { tokens, requested, profile });
      const outcome = await completeSignIn(flow.signIn, {
        flow: pending,
        data,
        profile,
        tokens,
        scopes,
        now,
      });
      if (outcome.kind === 'connected' || outcome.kind === 'returned') {
        await flow.users.changed(outcome.user, now);
        // A fresh sign-in by the same user: no new session id is needed (the user did not
        // change), and the session's age for requireRecentLogin and maxLifetime starts again.
        if (outcome.kind === 'returned' && outcome.purpose === 'reauth') data.authenticatedAt = now;
        await save(req); // the flow is spent
      } else if (outcome.kind === 'pending') {
        req.session.socialauth = outcome.session;
        await save(req);
      } else {
        await storeSignedIn(req, outcome, profile, { config, flow, now });
      }
      res.redirect(302, outcome.target);
    } catch (err) {
      onFailure(req, res, asSocialAuthError(err, 'session_unavailable'));
    }
  }

  function authenticate(
    plugin: ProviderPlugin,
    req: Request,
    res: Response,
    next: NextFunction,
    state: unknown,
  ) {
    return new Promise<Verified>((resolve, reject) => {
      // `callbackState` (already checked) is offered to providers whose token request repeats the
      // state (Naver): their strategy's tokenParams(options) picks it up.
      const options = { session: false, callbackState: state };
      passport.authenticate(plugin.id, options, (err: unknown, user: unknown) => {
        // passport-oauth2 wraps what the token request's callback failed with.
        // A refusal read by tokenRefusal comes through with its reason; a refused redirect or
        // an oversized answer (provider_error inside) stays the token request's failure.
        const wrapped = (err as { oauthError?: unknown } | null)?.oauthError;
        const inner =
          wrapped instanceof SocialAuthError && wrapped.code === 'token_exchange_failed'
            ? wrapped
            : undefined;
        if (err)
          reject(
            asSocialAuthError(
              inner instanceof SocialAuthError ? inner : err,
              'token_exchange_failed',
            ),
          );
        else if (!user) reject(new SocialAuthError('provider_error'));
        else resolve(user as unknown as Verified);
      })(req, res, next);
    });
  }

  return { start, callback, formCallback };
}

/**
 * The response passport sees for a JSON start: its redirect (status, `Location`, empty end,
 * written straight on the response) becomes `200 { redirectUrl }` on the real one. Everything
 * else passport could do reaches the authenticate callback, which answers on the real response.
 */
function redirectAsJson(res: Response): Response {
  let location: string | undefined;
  const capture = Object.create(res) as Response;
  Object.assign(capture, {
    statusCode: 200,
    setHeader(name: string, value: unknown) {
      if (name.toLowerCase() === 'location') location = String(value);
      return capture;
    },
    end() {
      // Only passport's redirect ends this response; anything else is passed through as sent.
      if (location === undefined) res.status(capture.statusCode).end();
      else res.status(200).set('Cache-Control', 'no-store').json({ redirectUrl: location });
      return capture;
    },
  });
  return capture;
}
