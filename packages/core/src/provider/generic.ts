import type { Request } from 'express';
import type { Strategy } from 'passport';
import OAuth2Strategy from 'passport-oauth2';
import { SocialAuthError } from '../errors';
import { postForm } from '../tokens/endpoints';
import type { ConfigIssue, StrategyContext, TokenSet } from './contract';
import { secureURLIssues } from './back-channel';
import { rawProfileFetcher } from './helpers';

/** Where a configured provider signs in: known up front (oauth2) or discovered (oidc). */
export interface Endpoints {
  authorize: string;
  token: string;
  profile: string;
  /** Send PKCE S256 (RFC 7636 §4.2). */
  pkce: boolean;
}

/** What {@link genericStrategy} needs besides core's context. */
export interface GenericStrategyOptions {
  name: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  scopeSeparator: string;
  /** Resolves before every request the strategy handles (a cached discovery, or a constant). */
  endpoints(): Promise<Endpoints>;
  /** Extra authorization request parameters (`prompt`, `audience`...). */
  authorizationParams?: Readonly<Record<string, string>>;
  /** Send core's nonce (OpenID Connect Core §3.1.2.1). */
  nonce: boolean;
}

// node-oauth's endpoint fields: passport-oauth2 reads them as the request is handled.
interface NodeOAuthEndpoints {
  _authorizeUrl: string;
  _accessTokenUrl: string;
}
type ProfileDone = (err?: Error | null, profile?: { _raw?: string }) => void;

/**
 * A passport-oauth2 strategy for a provider configured by URL: each request first awaits the
 * endpoints (so a discovery failure ends that sign-in with its own typed error), then runs
 * passport-oauth2 as the built-in providers do. The profile is the userinfo body, untouched.
 */
export function genericStrategy(ctx: StrategyContext, o: GenericStrategyOptions): Strategy {
  const describe = (status: number | undefined, body: Record<string, unknown> | undefined) =>
    describeAnswer(o.name, status, body);
  class GenericStrategy extends OAuth2Strategy {
    override authorizationParams(opts: Record<string, unknown>): object {
      const params: Record<string, string> = { ...o.authorizationParams };
      // OpenID Connect Core §3.1.2.1: binds the ID token to this flow; core checks it.
      if (o.nonce && typeof opts.nonce === 'string') params.nonce = opts.nonce;
      return params;
    }
    override authenticate(req: Request, options?: object): void {
      o.endpoints().then(
        (endpoints) => {
          const oauth2 = this._oauth2 as unknown as NodeOAuthEndpoints;
          oauth2._authorizeUrl = endpoints.authorize;
          oauth2._accessTokenUrl = endpoints.token;
          // RFC 7636 §4.2 / RFC 9700 §2.1.1: S256, never plain, whenever the provider takes it.
          (this as unknown as { _pkceMethod?: string })._pkceMethod = endpoints.pkce
            ? 'S256'
            : undefined;
          try {
            super.authenticate(req, options);
          } catch (err) {
            this.error(err as Error); // not left to reject unhandled
          }
        },
        (err: unknown) => this.error(err as Error),
      );
    }
    override userProfile(accessToken: string, done: ProfileDone): void {
      o.endpoints().then(
        (endpoints) => rawProfileFetcher(endpoints.profile, describe).call(this, accessToken, done),
        (err: unknown) => done(err as Error),
      );
    }
  }
  const placeholder = 'https://endpoint.invalid/'; // replaced before every request
  return new GenericStrategy(
    {
      authorizationURL: placeholder,
      tokenURL: placeholder,
      clientID: o.clientId || 'unset',
      clientSecret: o.clientSecret,
      callbackURL: ctx.callbackURL,
      scope: o.scopes,
      scopeSeparator: o.scopeSeparator,
      store: ctx.store as unknown as OAuth2Strategy.StateStore,
      passReqToCallback: true,
    },
    ctx.verify as unknown as OAuth2Strategy.VerifyFunctionWithRequest,
  );
}

/** A provider's error answer for a log line: its OAuth error, else its status. */
export function describeAnswer(
  name: string,
  status: number | undefined,
  body: Record<string, unknown> | undefined,
): string {
  const error = body?.error ?? body?.message;
  const detail = typeof error === 'string' ? `: ${error.slice(0, 200)}` : '';
  return `${name} answered ${status ?? 'nothing'}${detail}`;
}

/**
 * Ends a grant with token revocation (RFC 7009 §2.1): the refresh token when there is one (it
 * ends the grant), else the access token; the client authenticates in the body.
 */
export async function revokeAt(
  url: string,
  client: { clientId: string; clientSecret: string; name: string },
  tokens: TokenSet,
): Promise<void> {
  const token = tokens.refreshToken ?? tokens.accessToken;
  const { status, body } = await postForm(
    url,
    {
      token,
      token_type_hint: tokens.refreshToken ? 'refresh_token' : 'access_token',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    },
    'revoke_failed',
  );
  // RFC 7009 §2.2: 200 whether or not the token was valid.
  if (status !== 200) {
    throw new SocialAuthError(
      'revoke_failed',
      describeAnswer(client.name, status, body as Record<string, unknown> | undefined),
    );
  }
}

/** `my-idp` → `MY_IDP`: the environment prefix for a configured provider's credentials. */
export function envPrefix(id: string): string {
  return id.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Problems with a URL option: it must parse, with https (http on a loopback host only). */
export function urlIssues(value: unknown, field: string): ConfigIssue[] {
  // RFC 6749 §3.1, §3.2 and §10.9: the endpoints carry codes, tokens and secrets: TLS only.
  return secureURLIssues(value, field);
}
