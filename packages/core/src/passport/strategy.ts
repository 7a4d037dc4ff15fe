import type { Request } from 'express';
import type { Strategy } from 'passport';
import OAuth2Strategy from 'passport-oauth2';
import type { AuthCodeFlow, ProviderPlugin, StrategyContext } from '../contract';
import { tokenRefusal } from '../tokens/refusal';
import { clientAuthOf, pointAt, profileGet, secretFrom, type ProfileDone } from './harden';

/**
 * A provider's passport strategy: its own `createStrategy` when it has one, else the one core
 * builds from its `authCode` data.
 *
 * @example
 * ```ts
 * passport.use(plugin.id, providerStrategy(plugin, ctx));
 * ```
 */
export function providerStrategy(plugin: ProviderPlugin, ctx: StrategyContext): Strategy {
  if (plugin.createStrategy) return plugin.createStrategy(ctx);
  const strategy = authCodeStrategy(ctx, plugin.authCode);
  strategy.name = plugin.id;
  return strategy;
}

/**
 * Core's one passport-oauth2 strategy, from a provider's {@link AuthCodeFlow}: authorization code
 * flow with state (and PKCE S256 where the provider takes it); the profile is the body text of
 * the profile endpoint, untouched, for the plugin's `toProfile`. Discovered endpoints are awaited
 * before every request, so a discovery failure ends that sign-in with its own typed error.
 */
export function authCodeStrategy(ctx: StrategyContext, flow: AuthCodeFlow): Strategy {
  const { endpoints } = flow;
  const fixed = typeof endpoints === 'function' ? undefined : endpoints;

  class AuthCodeStrategy extends OAuth2Strategy {
    override authorizationParams(opts: Record<string, unknown>): object {
      const params: Record<string, string> = {};
      for (const [key, value] of Object.entries(flow.authorizationParams ?? {})) {
        if (value !== undefined) params[key] = value;
      }
      // OpenID Connect Core §3.1.2.1: binds the ID token to this flow; core checks it.
      if (flow.nonce && typeof opts.nonce === 'string') params.nonce = opts.nonce;
      // OAuth 2.0 Form Post Response Mode §2: the answer comes as a POST to the callback.
      if (flow.responseMode) params.response_mode = flow.responseMode;
      // A signed-in user's return (more consent, a fresh sign-in): the provider's own words.
      const ask = opts.askParams;
      if (typeof ask === 'object' && ask !== null) Object.assign(params, ask);
      return params;
    }

    // A refused token request (passport-oauth2 hands over its body and status): the reason a
    // user can act on, and the provider's own code in the log line.
    override parseErrorResponse(body: string, status: number): Error | null {
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      return tokenRefusal(flow, status, json) ?? super.parseErrorResponse(body, status);
    }

    // login.ts offers the checked `callbackState` to every strategy.
    override tokenParams(opts: { callbackState?: unknown }): object {
      return flow.stateInTokenRequest && typeof opts.callbackState === 'string'
        ? { state: opts.callbackState }
        : {};
    }

    override authenticate(req: Request, options?: object): void {
      if (typeof endpoints !== 'function') return super.authenticate(req, options);
      endpoints().then(
        (found) => {
          pointAt(this, found);
          try {
            super.authenticate(req, options);
          } catch (err) {
            this.error(err as Error); // not left to reject unhandled
          }
        },
        (err: unknown) => this.error(err as Error),
      );
    }

    // Without a profile endpoint the verified ID token is the profile: verify.ts reads it.
    override userProfile(accessToken: string, done: ProfileDone): void {
      if (flow.loadProfile) {
        flow.loadProfile(accessToken).then(
          (json) => done(null, { _json: json } as { _raw?: string }),
          (err: unknown) => done(err as Error),
        );
        return;
      }
      const get = (url: string | undefined) =>
        url === undefined
          ? done(null, {})
          : profileGet(this, url, accessToken, flow.describeProfileError, done);
      if (typeof endpoints !== 'function') return get(endpoints.profile);
      endpoints().then(
        (found) => get(found.profile),
        (err: unknown) => done(err as Error),
      );
    }
  }

  const placeholder = 'https://endpoint.invalid/'; // replaced before every request
  const { clientSecret } = flow;
  const strategy = new AuthCodeStrategy(
    {
      authorizationURL: fixed?.authorize ?? placeholder,
      tokenURL: fixed?.token ?? placeholder,
      clientID: flow.clientId || 'unset',
      // A secret the plugin renews is read at every token request instead (secretFrom).
      clientSecret: typeof clientSecret === 'string' ? clientSecret : 'read-per-request',
      callbackURL: ctx.callbackURL,
      ...(flow.scopes && { scope: [...flow.scopes] }),
      ...(flow.scopeSeparator !== undefined && { scopeSeparator: flow.scopeSeparator }),
      ...(flow.headers && { customHeaders: { ...flow.headers } }),
      // passport-oauth2 sends S256 for `true`, never plain (RFC 7636 §4.2)
      ...(fixed?.pkce && { pkce: true }),
      // @types/passport-oauth2 predates PKCE-aware state stores (store(req, verifier, ...)).
      store: ctx.store as unknown as OAuth2Strategy.StateStore,
      passReqToCallback: true,
    },
    ctx.verify as unknown as OAuth2Strategy.VerifyFunctionWithRequest,
  );
  if (typeof clientSecret === 'function') secretFrom(strategy, clientSecret);
  if (fixed) clientAuthOf(strategy, fixed);
  return strategy;
}
