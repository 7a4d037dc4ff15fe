import type { RequestHandler } from 'express';
import type { ConsentDecision, FormPost } from '../../consent';
import { sendErrorPage } from '../../html';
import { queryParams, withParams } from '../../http';
import { randomToken } from '../../state';
import { CODE_TTL_MS, admits, knownTenant, type MicrosoftContext } from './common';

/**
 * GET /{tenant}/oauth2/v2.0/authorize: `client_id`, `redirect_uri`, `response_type=code`,
 * `scope`, `response_mode` (`query` or `form_post`), `state`, `nonce`, PKCE (S256 or plain).
 * The tenant segment decides who may sign in.
 */
export function authorizeHandler(m: MicrosoftContext): RequestHandler {
  return (req, res) => {
    const tenant = String(req.params.tenant);
    const q = queryParams(req);
    if (!knownTenant(tenant))
      return sendErrorPage(res, 400, 'invalid_tenant', `Tenant '${tenant}' not found.`);
    const client = m.clients.find('microsoft', q.get('client_id') ?? '');
    if (!client)
      return sendErrorPage(res, 400, 'unauthorized_client', 'AADSTS700016: Application not found.');
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri || !m.clients.allowsRedirect(client, redirectUri)) {
      return sendErrorPage(
        res,
        400,
        'invalid_request',
        'AADSTS50011: The redirect URI does not match.',
      );
    }
    const state = q.get('state');
    const mode = q.get('response_mode') ?? 'query';
    const back = (fields: Record<string, string | undefined>): string | FormPost =>
      mode === 'form_post' ? { action: redirectUri, fields } : withParams(redirectUri, fields);
    if (q.get('response_type') !== 'code' || !['query', 'form_post'].includes(mode)) {
      return sendErrorPage(
        res,
        400,
        'unsupported_response_type',
        'Only the code flow, by query or form_post.',
      );
    }
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    const users = m.users.filter((user) => admits(tenant, user));
    const challenge = q.get('code_challenge');
    const method = q.get('code_challenge_method') ?? (challenge ? 'plain' : undefined);
    m.consent.show(res, {
      provider: 'microsoft',
      appName: client.name ?? client.clientId,
      scopes: scopes.map((scope) => ({ scope })),
      users: users.map((user) => ({
        id: user.oid,
        name: user.name,
        email: user.preferred_username,
      })),
      complete: (decision: ConsentDecision) => {
        const user = decision.approved ? users.find((u) => u.oid === decision.userId) : undefined;
        if (!user)
          return back({
            error: 'access_denied',
            error_description: 'AADSTS65004: User declined to consent.',
            state,
          });
        const code = randomToken('M.C');
        m.codes.set(
          code,
          {
            provider: 'microsoft',
            clientId: client.clientId,
            redirectUri,
            sub: user.oid,
            scopes,
            offline: scopes.includes('offline_access'),
            nonce: q.get('nonce'),
            ...(challenge && {
              codeChallenge: challenge,
              codeChallengeMethod: method === 'S256' ? 'S256' : 'plain',
            }),
            used: false,
            tenant,
          },
          CODE_TTL_MS,
        );
        return back({ code, state, session_state: randomToken().slice(0, 36) });
      },
    });
  };
}
