import type { RequestHandler, Response } from 'express';
import { readForm, sendJson, type Params } from '../../http';
import type { Grant } from '../../state';
import type { EmulatorClient } from '../../types';
import { idTokenClaims } from './authorize';
import {
  ACCESS_TOKEN_SECONDS,
  TOKEN_PREFIX,
  clientFor,
  findUser,
  secretProblem,
  sendAppleError,
  type AppleContext,
} from './common';

type Client = Readonly<EmulatorClient>;

/**
 * The client of a token or revoke request: `client_id` and `client_secret` in the body only
 * (Apple's discovery lists client_secret_post alone), the secret a JWT the client's key signed.
 */
function authenticate(
  a: AppleContext,
  p: Params,
): { client: Client; clientId: string } | undefined {
  const clientId = p.get('client_id');
  const client = clientId ? clientFor(a, clientId) : undefined;
  if (!client || !clientId) return undefined;
  if (secretProblem(client, clientId, p.get('client_secret'), a.now())) return undefined;
  return { client, clientId };
}

/** POST /auth/token: "Generate and validate tokens" (authorization_code, refresh_token). */
export function tokenHandler(a: AppleContext): RequestHandler {
  return async (req, res) => {
    const form = await readForm(req);
    if (!form.ok || form.params.repeated()) return sendAppleError(res, 'invalid_request');
    const p = form.params;
    const who = authenticate(a, p);
    if (!who) return sendAppleError(res, 'invalid_client');
    const grantType = p.get('grant_type');
    if (grantType === 'authorization_code') return exchangeCode(a, res, p, who.clientId);
    if (grantType === 'refresh_token') return refresh(a, res, p, who.clientId);
    sendAppleError(res, grantType ? 'unsupported_grant_type' : 'invalid_request');
  };
}

async function exchangeCode(a: AppleContext, res: Response, p: Params, clientId: string) {
  const value = p.get('code');
  const code = value ? a.codes.get(value) : undefined;
  // "The client_id does not match the client for which the code was issued" is invalid_grant.
  if (!code || code.clientId !== clientId || code.used) {
    if (code?.used && code.grant) code.grant.revoked = true; // RFC 6749 §4.1.2
    return sendAppleError(res, 'invalid_grant');
  }
  code.used = true;
  // "include the redirect_uri only if the application provided a redirect_uri" (native: none).
  if ((p.get('redirect_uri') ?? '') !== code.redirectUri)
    return sendAppleError(res, 'invalid_grant');
  const user = findUser(a, code.sub);
  if (!user) return sendAppleError(res, 'invalid_grant');
  const grant: Grant = {
    provider: 'apple',
    clientId,
    sub: user.sub,
    scopes: code.scopes,
    revoked: false,
  };
  code.grant = grant;
  const refreshToken = a.tokens.issue(
    { kind: 'refresh', grant, scopes: grant.scopes },
    TOKEN_PREFIX.refresh,
  );
  await sendTokens(a, res, grant, code.nonce, refreshToken);
}

async function refresh(a: AppleContext, res: Response, p: Params, clientId: string) {
  const value = p.get('refresh_token');
  const token = value ? a.tokens.find(value) : undefined;
  if (!token || token.kind !== 'refresh' || token.grant.provider !== 'apple') {
    return sendAppleError(res, 'invalid_grant');
  }
  if (token.grant.clientId !== clientId) return sendAppleError(res, 'invalid_grant');
  // "The refresh token isn't returned when validating an existing refresh token."
  await sendTokens(a, res, token.grant, undefined, undefined);
}

async function sendTokens(
  a: AppleContext,
  res: Response,
  grant: Grant,
  nonce: string | undefined,
  refreshToken: string | undefined,
) {
  const user = findUser(a, grant.sub);
  if (!user) return sendAppleError(res, 'invalid_grant');
  const accessToken = a.tokens.issue(
    { kind: 'access', grant, scopes: grant.scopes },
    TOKEN_PREFIX.access,
    ACCESS_TOKEN_SECONDS * 1000,
  );
  const claims = a.idTokenOverrides.apply(
    'apple',
    idTokenClaims(a, user, grant.clientId, grant.scopes, nonce),
  );
  sendJson(res, 200, {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: ACCESS_TOKEN_SECONDS,
    refresh_token: refreshToken,
    id_token: claims ? await a.key.sign(claims) : undefined,
  });
}

/**
 * POST /auth/revoke ("Revoke tokens"): the token's grant ends with every token of it. 200 with
 * no body, also for a token that was invalid already; a bad client is 400 invalid_client.
 */
export function revokeHandler(a: AppleContext): RequestHandler {
  return async (req, res) => {
    const form = await readForm(req);
    if (!form.ok) return sendAppleError(res, 'invalid_request');
    const who = authenticate(a, form.params);
    if (!who) return sendAppleError(res, 'invalid_client');
    const value = form.params.get('token');
    if (!value) return sendAppleError(res, 'invalid_request');
    const token = a.tokens.find(value);
    if (token && token.grant.provider === 'apple' && token.grant.clientId === who.clientId) {
      token.grant.revoked = true;
    }
    res.status(200).set('Cache-Control', 'no-store').end();
  };
}
