import type { Request } from 'express';
import { SocialAuthError } from '../errors';
import type { SessionInfo } from '../session/user-sessions';
import type { SocialAuthRequest } from '../types';
import type { RouteContext } from './context';
import { sessionsOf, signOutEverywhereOf } from './session-routes';

/**
 * `req.socialAuth`. Every request passes through socialAuth, so this is one small object with its
 * methods on the prototype: no closures built per request.
 */
export class RequestApi implements SocialAuthRequest {
  constructor(
    private readonly req: Request,
    private readonly ctx: RouteContext,
  ) {}

  private userId(): string {
    if (!this.req.user) throw new SocialAuthError('unauthenticated');
    return this.req.user.id;
  }

  accessToken(provider: string, options: { subject?: string } = {}): Promise<string> {
    return Promise.resolve().then(() =>
      this.ctx.flow.access.accessToken(this.userId(), provider, options.subject),
    );
  }

  async fetch(
    provider: string,
    url: string | URL,
    init: RequestInit & { subject?: string } = {},
  ): Promise<globalThis.Response> {
    const { subject, ...rest } = init;
    const { access } = this.ctx.flow;
    const identity = await access.identityOf(this.userId(), provider, subject);
    const token = await access.accessToken(identity.userId, provider, identity.subject);
    const headers = new Headers(rest.headers);
    headers.set('Authorization', `Bearer ${token}`);
    const response = await fetch(url, { ...rest, headers });
    // A refusal that names scopes the user no longer grants takes them off the ledger.
    await access.forgetMissing(identity, this.ctx.providers.get(provider), response);
    return response;
  }

  async scopes(provider: string, options: { subject?: string } = {}): Promise<string[]> {
    const identities = (await this.ctx.flow.accounts.listIdentities(this.userId())).filter(
      (i) =>
        i.provider === provider && (options.subject === undefined || i.subject === options.subject),
    );
    if (identities.length > 1) {
      throw new SocialAuthError(
        'invalid_request',
        `Several ${provider} identities are connected: pass { subject } to pick one`,
      );
    }
    return identities[0] ? this.ctx.flow.access.grantedScopes(identities[0]) : [];
  }

  /**
   * Where a browser (or, with `Accept: application/json`, an API client) starts a signed-in
   * user's return to `provider`: `?scope=` for more consent, `?reauth=` for a fresh sign-in,
   * then back to `next`. Not part of {@link SocialAuthRequest}: `requireScopes` and
   * `requireRecentLogin` use it.
   */
  startPath(provider: string, ask: { scope: string } | { reauth: number }, next: string): string {
    const params = new URLSearchParams(
      'scope' in ask ? { scope: ask.scope } : { reauth: String(ask.reauth) },
    );
    params.set('next', next);
    return `${this.ctx.config.basePath}/${encodeURIComponent(provider)}?${params}`;
  }

  /** The provider of this session's sign-in, when signed in. */
  get signInProvider(): string | undefined {
    return this.req.user ? this.req.session?.socialauth?.user?.provider : undefined;
  }

  async providerData(
    provider: string,
    options: { subject?: string } = {},
  ): Promise<Record<string, unknown> | undefined> {
    const identity = await this.ctx.flow.access.identityOf(
      this.userId(),
      provider,
      options.subject,
    );
    try {
      return identity.profile === undefined
        ? undefined
        : (JSON.parse(identity.profile) as Record<string, unknown>);
    } catch {
      return undefined; // a custom store that mangled it: nothing usable was kept
    }
  }

  csrfToken(): string {
    return this.ctx.csrf.token(this.req);
  }

  signOutEverywhere(): Promise<number> {
    return signOutEverywhereOf(this.req, this.ctx);
  }

  sessions(): Promise<SessionInfo[]> {
    return sessionsOf(this.req, this.ctx);
  }

  get authenticatedAt(): Date | undefined {
    const at = this.req.user && this.req.session?.socialauth?.authenticatedAt;
    return at ? new Date(at) : undefined;
  }
}
