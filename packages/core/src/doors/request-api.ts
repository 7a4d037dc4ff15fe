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
    const token = await this.accessToken(provider, { subject });
    const headers = new Headers(rest.headers);
    headers.set('Authorization', `Bearer ${token}`);
    return fetch(url, { ...rest, headers });
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
