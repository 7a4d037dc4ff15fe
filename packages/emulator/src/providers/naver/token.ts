import type { RequestHandler, Response } from 'express';
import { requestParams, sendJson, type Params } from '../../http';
import type { Grant, TokenStore } from '../../state';
import type { EmulatorClient } from '../../types';
import {
  ACCESS_TOKEN_SECONDS,
  TOKEN_PREFIX,
  authenticate,
  findUser,
  sendNaverError,
  type NaverContext,
} from './common';

type Client = Readonly<EmulatorClient>;

const BAD_CLIENT = 'wrong client id / client secret pair';
// Naver's answer for an unknown, used or expired code (200 status seen in public fixtures).
const NO_SESSION = 'no valid data in session';

/**
 * GET|POST /oauth2.0/token: Naver's token endpoint (api.md §2.4.2). Parameters come from the
 * query or the form body, the secret among them; every error is an HTTP 200 with `error`.
 */
export function tokenHandler(n: NaverContext): RequestHandler {
  return async (req, res) => {
    const form = await requestParams(req);
    if (!form.ok) return sendNaverError(res, 'invalid_request', form.description);
    const p = form.params;
    const client = authenticate(n, p);
    if (!client) return sendNaverError(res, 'invalid_client', BAD_CLIENT);
    const grantType = p.get('grant_type');
    if (grantType === 'authorization_code') return exchangeCode(n, res, p, client);
    if (grantType === 'refresh_token') return refresh(n, res, p, client);
    // The legacy grant_type=delete was retired on 2026-05-20 in favour of /oauth2.0/revoke.
    const description = 'grant_type must be authorization_code or refresh_token';
    sendNaverError(res, 'unsupported_grant_type', description);
  };
}

function exchangeCode(n: NaverContext, res: Response, p: Params, client: Client): void {
  const value = p.get('code') ?? '';
  const found = n.codes.get(value);
  // Another client's code is not this client's to burn; anything else consumes it (single use).
  if (!found || found.clientId !== client.clientId) {
    return sendNaverError(res, 'invalid_request', NO_SESSION);
  }
  const code = n.codes.take(value);
  const user = code && findUser(n, code.key);
  // Naver's token request carries the state of the authorization request (api.md §2.4.2); a
  // different one means the code is not presented by the flow it was issued to (unverified).
  if (!code || !user || p.get('state') !== code.state) {
    return sendNaverError(res, 'invalid_request', NO_SESSION);
  }
  const grant: Grant = {
    provider: 'naver',
    clientId: client.clientId,
    sub: user.key,
    scopes: code.items,
    revoked: false,
  };
  const { accessToken, refreshToken } = issueGrant(n.tokens, grant);
  sendJson(res, 200, {
    access_token: accessToken,
    refresh_token: refreshToken,
    token_type: 'bearer',
    expires_in: String(ACCESS_TOKEN_SECONDS),
  });
}

/**
 * The tokens of a new grant: what the token endpoint answers a code with, and what the Naver
 * login SDK holds in an app after its own login (`getAccessToken()`, `getRefreshToken()`).
 */
export function issueGrant(
  tokens: TokenStore,
  grant: Grant,
): { accessToken: string; refreshToken: string } {
  const refreshToken = tokens.issue(
    { kind: 'refresh', grant, scopes: grant.scopes },
    TOKEN_PREFIX.refresh,
  );
  return { accessToken: issueAccess(tokens, grant), refreshToken };
}

/** A refresh answers a new access token only: Naver never rotates its refresh tokens. */
function refresh(n: NaverContext, res: Response, p: Params, client: Client): void {
  const token = n.tokens.find(p.get('refresh_token') ?? '');
  if (!token || token.kind !== 'refresh' || token.grant.clientId !== client.clientId) {
    return sendNaverError(res, 'invalid_request', 'invalid refresh token');
  }
  sendJson(res, 200, {
    access_token: issueAccess(n.tokens, token.grant),
    token_type: 'bearer',
    expires_in: String(ACCESS_TOKEN_SECONDS),
  });
}

function issueAccess(tokens: TokenStore, grant: Grant): string {
  return tokens.issue(
    { kind: 'access', grant, scopes: grant.scopes },
    TOKEN_PREFIX.access,
    ACCESS_TOKEN_SECONDS * 1000,
  );
}

/**
 * POST /oauth2.0/revoke (RFC 7009 §2): 200 with an empty body whether or not the token was
 * known (RFC 7009 §2.2), so the answer reveals nothing about a token. Revoking a refresh token
 * also kills the access tokens obtained with it; revoking an access token kills only that one.
 * `token_type_hint` is a hint only (RFC 7009 §2.1) and ignored.
 */
export function revokeHandler(n: NaverContext): RequestHandler {
  return async (req, res) => {
    const form = await requestParams(req);
    if (!form.ok) {
      return sendJson(res, 400, { error: 'invalid_request', error_description: form.description });
    }
    const client = authenticate(n, form.params);
    if (!client) {
      return sendJson(res, 401, { error: 'invalid_client', error_description: BAD_CLIENT });
    }
    const value = form.params.get('token');
    if (!value) {
      const body = { error: 'invalid_request', error_description: 'token is required' };
      return sendJson(res, 400, body);
    }
    const token = n.tokens.find(value);
    if (token && token.grant.clientId === client.clientId) {
      if (token.kind === 'refresh') token.grant.revoked = true;
      else n.tokens.delete(value);
    }
    res.status(200).set({ 'Cache-Control': 'no-store' }).end();
  };
}
