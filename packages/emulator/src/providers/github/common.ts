import type { Request, Response } from 'express';
import { sendJson } from '../../http';
import type { ProviderContext } from '../../provider';
import type { AuthorizationCode, ExpiringMap, TokenStore } from '../../state';
import type { EmulatorEndpoint } from '../../types';
import type { GitHubUser } from './users';

/**
 * GitHub's real paths (docs.github.com, "Authorizing OAuth apps" and the REST API, checked
 * 2026-12-07): github.com's `/login/oauth/*` and api.github.com's, on one origin here.
 */
export const GITHUB_PATHS = {
  authorize: '/login/oauth/authorize',
  token: '/login/oauth/access_token',
  userinfo: '/user',
  emails: '/user/emails',
  revoke: '/applications/:client_id/grant',
} as const satisfies Partial<Record<EmulatorEndpoint | 'emails', string>>;

/** "codes expire after 10 minutes". */
export const CODE_TTL_MS = 10 * 60 * 1000;
/** Expiring user tokens: "The access token expires after eight hours". */
export const EXPIRING_SECONDS = 8 * 3600;
/** "the refresh token expires after six months". */
export const REFRESH_SECONDS = 15_897_600;
export const TOKEN_PREFIX = { access: 'gho_', refresh: 'ghr_' } as const;

export interface GitHubContext extends ProviderContext<GitHubUser> {
  readonly codes: ExpiringMap<AuthorizationCode>;
  readonly tokens: TokenStore;
}

export function findUser(g: GitHubContext, id: string): GitHubUser | undefined {
  return g.users.find((user) => String(user.id) === id);
}

/** The token request's answer: form-encoded unless the client asked for JSON. */
export function sendTokenAnswer(req: Request, res: Response, body: Record<string, unknown>): void {
  const defined = Object.entries(body).filter(([, v]) => v !== undefined);
  if (/application\/json/.test(req.headers.accept ?? '')) {
    sendJson(res, 200, Object.fromEntries(defined));
    return;
  }
  res
    .status(200)
    .set({
      'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
      'Cache-Control': 'no-store',
    })
    .send(
      new URLSearchParams(defined.map(([k, v]): [string, string] => [k, String(v)])).toString(),
    );
}

/** The REST API's error body: `{"message", "documentation_url"}`. */
export function sendApiError(res: Response, status: number, message: string): void {
  sendJson(res, status, {
    message,
    documentation_url: 'https://docs.github.com/rest',
    status: String(status),
  });
}
