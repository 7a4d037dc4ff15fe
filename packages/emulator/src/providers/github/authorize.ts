import type { RequestHandler } from 'express';
import type { ConsentDecision } from '../../consent';
import { sendErrorPage } from '../../html';
import { queryParams, withParams } from '../../http';
import { randomToken } from '../../state';
import type { EmulatorClient } from '../../types';
import { CODE_TTL_MS, findUser, type GitHubContext } from './common';

const SCOPE_TEXT: Record<string, string> = {
  'read:user': 'Read all user profile data',
  'user:email': 'Access user email addresses (read-only)',
  offline_access: 'Stay signed in (an expiring token and a refresh token)',
};

/**
 * GET /login/oauth/authorize ("Authorizing OAuth apps", checked 2026-12-07): `client_id`,
 * `redirect_uri` (must be the registered one), `scope` (space- or comma-separated), `state`,
 * PKCE with `S256` only ("the plain code challenge method is not supported").
 */
export function authorizeHandler(g: GitHubContext): RequestHandler {
  return (req, res) => {
    const q = queryParams(req);
    const clientId = q.get('client_id');
    const client = clientId ? g.clients.find('github', clientId) : undefined;
    if (!client) return sendErrorPage(res, 404, 'not_found', 'The OAuth app was not found.');
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri || !g.clients.allowsRedirect(client, redirectUri)) {
      const message = 'The redirect_uri is not associated with this application.';
      return sendErrorPage(res, 400, 'redirect_uri_mismatch', message);
    }
    const state = q.get('state');
    const challenge = q.get('code_challenge');
    const method = q.get('code_challenge_method');
    if (
      (challenge || method) &&
      (method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge ?? ''))
    ) {
      return res.redirect(
        302,
        withParams(redirectUri, {
          error: 'invalid_request',
          error_description: 'code_challenge_method must be S256 with a 43-character challenge',
          state,
        }),
      );
    }
    const scopes = (q.get('scope') ?? '').split(/[\s,]+/).filter(Boolean);
    g.consent.show(res, {
      provider: 'github',
      appName: client.name ?? client.clientId,
      scopes: scopes.map((scope) => ({ scope, description: SCOPE_TEXT[scope] })),
      users: g.users.map((user) => ({
        id: String(user.id),
        name: user.name ?? user.login,
        email: user.login,
      })),
      complete: (decision) =>
        complete(g, client, redirectUri, state, scopes, challenge ?? undefined, decision),
    });
  };
}

function complete(
  g: GitHubContext,
  client: Readonly<EmulatorClient>,
  redirectUri: string,
  state: string | undefined,
  scopes: string[],
  codeChallenge: string | undefined,
  decision: ConsentDecision,
): string {
  const user = decision.approved ? findUser(g, decision.userId) : undefined;
  if (!user) {
    return withParams(redirectUri, {
      error: 'access_denied',
      error_description: 'The user has denied your application access.',
      error_uri:
        'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied',
      state,
    });
  }
  const code = randomToken().slice(0, 20);
  g.codes.set(
    code,
    {
      provider: 'github',
      clientId: client.clientId,
      redirectUri,
      sub: String(user.id),
      scopes,
      offline: scopes.includes('offline_access'),
      ...(codeChallenge && { codeChallenge, codeChallengeMethod: 'S256' as const }),
      used: false,
    },
    CODE_TTL_MS,
  );
  return withParams(redirectUri, { code, state });
}
