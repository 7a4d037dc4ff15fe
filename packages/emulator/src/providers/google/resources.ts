import type { RequestHandler } from 'express';
import { queryParams, readForm, sendJson } from '../../http';
import { findUser, sendOAuthError, type GoogleContext } from './common';
import { userClaims } from './id-token';

// Google's exact 401 for a bad bearer token (RFC 6750 §3 challenge, Google's realm and body).
const INVALID_TOKEN_CHALLENGE = {
  'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
};

/** GET|POST /v1/userinfo: the OpenID Connect UserInfo endpoint (OIDC Core §5.3). */
export function userinfoHandler(g: GoogleContext): RequestHandler {
  return (req, res) => {
    // RFC 6750 §2.1; the scheme name is case-insensitive (RFC 9110 §11.1).
    const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(req.headers.authorization ?? '');
    const token = match?.[1] ? g.tokens.find(match[1]) : undefined;
    const user = token?.kind === 'access' ? findUser(g, token.grant.sub) : undefined;
    if (!token || !user || token.kind !== 'access' || token.grant.provider !== 'google') {
      const description = 'Invalid Credentials';
      return sendOAuthError(res, 401, 'invalid_request', description, INVALID_TOKEN_CHALLENGE);
    }
    sendJson(res, 200, userClaims(user, token.scopes));
  };
}

/** POST /revoke (RFC 7009): revoking either token of a grant revokes the whole grant. */
export function revokeHandler(g: GoogleContext): RequestHandler {
  return async (req, res) => {
    const form = await readForm(req);
    if (!form.ok) return sendOAuthError(res, 400, 'invalid_request', form.description);
    const value = form.params.get('token') ?? queryParams(req).get('token');
    if (!value) {
      return sendOAuthError(res, 400, 'invalid_request', 'Missing required parameter: token');
    }
    const token = g.tokens.find(value);
    if (!token || token.grant.provider !== 'google') {
      return sendOAuthError(res, 400, 'invalid_token', 'Bad Request');
    }
    token.grant.revoked = true;
    // The user's next consent to this client is a first one again: it brings a refresh token.
    g.offlineConsents.delete(`${token.grant.clientId} ${token.grant.sub}`);
    sendJson(res, 200, {});
  };
}
