import type { RequestHandler } from 'express';
import { sendJson } from '../../http';
import { findUser, profile, type NaverContext } from './common';

// RFC 6750 §2.1; the scheme name is case-insensitive (RFC 9110 §11.1).
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * GET /v1/nid/me: Naver's profile API (naver-openapi-guide ko/login/profile/profile.md). The
 * token only in the Authorization header; `resultcode` "00" on success, and "024" with a 401
 * for a missing, unknown, expired or revoked token.
 */
export function profileHandler(n: NaverContext): RequestHandler {
  return (req, res) => {
    const match = BEARER.exec(req.headers.authorization ?? '');
    const token = match?.[1] ? n.tokens.find(match[1]) : undefined;
    const user = token?.kind === 'access' ? findUser(n, token.grant.sub) : undefined;
    if (!token || !user) {
      return sendJson(res, 401, { resultcode: '024', message: 'Authentication failed' });
    }
    sendJson(res, 200, {
      resultcode: '00',
      message: 'success',
      response: profile(user, token.grant.clientId, token.grant.scopes),
    });
  };
}
