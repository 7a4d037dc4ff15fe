import type { Request, RequestHandler } from 'express';
import { safeEqual } from '../../clients';
import { parseBasic, sendJson } from '../../http';
import type { IssuedToken } from '../../state';
import { findUser, sendApiError, type GitHubContext } from './common';
import { publicEmail } from './users';

/** `Authorization: Bearer <token>` (or GitHub's older `token <token>`). */
function bearer(g: GitHubContext, req: Request): IssuedToken | undefined {
  const match = /^(?:Bearer|token) +(\S+)$/i.exec(req.headers.authorization ?? '');
  const token = match?.[1] ? g.tokens.find(match[1]) : undefined;
  return token?.kind === 'access' && token.grant.provider === 'github' ? token : undefined;
}

/**
 * GET /user and GET /user/emails. "Requests with no User-Agent header will be rejected"; the
 * addresses need the `user:email` scope.
 */
export function apiHandler(g: GitHubContext, what: 'user' | 'emails'): RequestHandler {
  return (req, res) => {
    if (!req.headers['user-agent']) {
      return sendApiError(
        res,
        403,
        'Request forbidden by administrative rules. Please make sure your request has a User-Agent header.',
      );
    }
    const token = bearer(g, req);
    const user = token && findUser(g, token.grant.sub);
    if (!token || !user) return sendApiError(res, 401, 'Bad credentials');
    if (what === 'emails') {
      if (!token.scopes.includes('user:email') && !token.scopes.includes('user')) {
        return sendApiError(res, 404, 'Not Found');
      }
      return sendJson(res, 200, user.emails);
    }
    sendJson(res, 200, {
      login: user.login,
      id: user.id,
      node_id: `U_emulator${user.id}`,
      avatar_url: user.avatar_url ?? null,
      type: 'User',
      name: user.name,
      email: publicEmail(user),
    });
  };
}

/**
 * DELETE /applications/{client_id}/grant: Basic authentication with the app's client id and
 * secret, the token in a JSON body; the grant ends with every token of it. 204.
 */
export function revokeHandler(g: GitHubContext): RequestHandler {
  return async (req, res) => {
    const clientId = req.path.split('/')[2] ?? '';
    const basic = parseBasic(req.headers.authorization ?? '');
    const client = g.clients.find('github', clientId);
    if (!client || basic?.id !== clientId || !safeEqual(basic.secret, client.clientSecret ?? '')) {
      return sendApiError(res, 404, 'Not Found');
    }
    let body: { access_token?: unknown } = {};
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as typeof body;
    } catch {
      return sendApiError(res, 400, 'Problems parsing JSON');
    }
    if (typeof body.access_token !== 'string') return sendApiError(res, 422, 'Validation Failed');
    const token = g.tokens.find(body.access_token);
    if (!token || token.grant.clientId !== clientId) return sendApiError(res, 404, 'Not Found');
    token.grant.revoked = true;
    res.status(204).end();
  };
}
