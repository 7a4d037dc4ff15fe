import type { Request, RequestHandler, Response } from 'express';
import { safeEqual } from '../../clients';
import { readForm } from '../../http';
import { checkVerifier } from '../../pkce';
import type { Grant } from '../../state';
import {
  EXPIRING_SECONDS,
  REFRESH_SECONDS,
  TOKEN_PREFIX,
  sendTokenAnswer,
  type GitHubContext,
} from './common';

/**
 * POST /login/oauth/access_token: the code (or, for expiring tokens, a refresh token) for a
 * token. Errors are answered with HTTP 200 and an `error` member ("Troubleshooting OAuth app
 * access token request errors": bad_verification_code, incorrect_client_credentials,
 * redirect_uri_mismatch, bad_refresh_token), in the format the Accept header asks for.
 */
export function tokenHandler(g: GitHubContext): RequestHandler {
  return async (req, res) => {
    const form = await readForm(req);
    const fail = (error: string, description: string) =>
      sendTokenAnswer(req, res, { error, error_description: description });
    if (!form.ok) return fail('bad_verification_code', form.description);
    const p = form.params;
    const client = g.clients.find('github', p.get('client_id') ?? '');
    if (!client || !safeEqual(p.get('client_secret') ?? '', client.clientSecret ?? '')) {
      return fail(
        'incorrect_client_credentials',
        'The client_id and/or client_secret passed are incorrect.',
      );
    }
    if (p.get('grant_type') === 'refresh_token')
      return refresh(g, req, res, p.get('refresh_token'), client.clientId);
    const code = g.codes.get(p.get('code') ?? '');
    if (!code || code.used || code.clientId !== client.clientId) {
      return fail('bad_verification_code', 'The code passed is incorrect or expired.');
    }
    code.used = true;
    const redirectUri = p.get('redirect_uri');
    if (redirectUri !== undefined && redirectUri !== code.redirectUri) {
      return fail(
        'redirect_uri_mismatch',
        'The redirect_uri MUST match the registered callback URL for this application.',
      );
    }
    if (checkVerifier(code, p.get('code_verifier'))) {
      return fail('bad_verification_code', 'The code_verifier does not match the code_challenge.');
    }
    const grant: Grant = {
      provider: 'github',
      clientId: client.clientId,
      sub: code.sub,
      scopes: code.scopes,
      revoked: false,
    };
    issue(g, req, res, grant, code.offline);
  };
}

function refresh(
  g: GitHubContext,
  req: Request,
  res: Response,
  value: string | undefined,
  clientId: string,
) {
  const token = value ? g.tokens.find(value) : undefined;
  if (
    !token ||
    token.kind !== 'refresh' ||
    token.grant.clientId !== clientId ||
    token.grant.provider !== 'github'
  ) {
    return sendTokenAnswer(req, res, {
      error: 'bad_refresh_token',
      error_description: 'The refresh token passed is incorrect or expired.',
    });
  }
  // GitHub rotates refresh tokens: the one used is spent.
  g.tokens.delete(value!);
  issue(g, req, res, token.grant, true);
}

function issue(g: GitHubContext, req: Request, res: Response, grant: Grant, expiring: boolean) {
  const scopes = grant.scopes.filter((s) => s !== 'offline_access');
  const accessToken = g.tokens.issue(
    { kind: 'access', grant, scopes },
    TOKEN_PREFIX.access,
    expiring ? EXPIRING_SECONDS * 1000 : undefined,
  );
  const refreshToken = expiring
    ? g.tokens.issue(
        { kind: 'refresh', grant, scopes },
        TOKEN_PREFIX.refresh,
        REFRESH_SECONDS * 1000,
      )
    : undefined;
  sendTokenAnswer(req, res, {
    access_token: accessToken,
    ...(expiring && {
      expires_in: EXPIRING_SECONDS,
      refresh_token: refreshToken,
      refresh_token_expires_in: REFRESH_SECONDS,
    }),
    scope: scopes.join(','),
    token_type: 'bearer',
  });
}
