import type { Request, RequestHandler, Response } from 'express';
import { safeEqual } from '../../clients';
import { parseBasic, readForm, sendJson, type Params } from '../../http';
import { checkVerifier } from '../../pkce';
import type { Grant } from '../../state';
import type { EmulatorClient } from '../../types';
import { TOKEN_SECONDS, pairwiseSub, type MicrosoftContext } from './common';

const error = (res: Response, code: string, description: string, status = 400) =>
  sendJson(res, status, { error: code, error_description: description });

/** The client by its secret in the body, or by HTTP Basic ("also supported"). */
function authenticate(
  m: MicrosoftContext,
  req: Request,
  p: Params,
): Readonly<EmulatorClient> | undefined {
  const header = req.headers.authorization;
  const basic = header === undefined ? undefined : parseBasic(header);
  const id = basic?.id ?? p.get('client_id');
  const secret = basic?.secret ?? p.get('client_secret');
  const client = id ? m.clients.find('microsoft', id) : undefined;
  return client && secret !== undefined && safeEqual(secret, client.clientSecret ?? '')
    ? client
    : undefined;
}

/** POST /{tenant}/oauth2/v2.0/token: the code and refresh grants; the ID token with `openid`. */
export function tokenHandler(m: MicrosoftContext): RequestHandler {
  return async (req, res) => {
    const form = await readForm(req);
    if (!form.ok) return error(res, 'invalid_request', form.description);
    const p = form.params;
    const client = authenticate(m, req, p);
    if (!client)
      return error(res, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.', 401);
    if (p.get('grant_type') === 'refresh_token') {
      const token = m.tokens.find(p.get('refresh_token') ?? '');
      if (!token || token.kind !== 'refresh' || token.grant.clientId !== client.clientId) {
        return error(res, 'invalid_grant', 'AADSTS70000: The refresh token is invalid.');
      }
      return issue(m, res, token.grant, undefined, true);
    }
    if (p.get('grant_type') !== 'authorization_code')
      return error(res, 'unsupported_grant_type', 'AADSTS70003');
    const code = m.codes.get(p.get('code') ?? '');
    if (
      !code ||
      code.used ||
      code.clientId !== client.clientId ||
      code.redirectUri !== p.get('redirect_uri')
    ) {
      return error(
        res,
        'invalid_grant',
        'AADSTS70008: The provided authorization code is invalid or has expired.',
      );
    }
    code.used = true;
    if (checkVerifier(code, p.get('code_verifier'))) {
      return error(
        res,
        'invalid_grant',
        'AADSTS501481: The Code_Verifier does not match the code_challenge.',
      );
    }
    const grant: Grant = {
      provider: 'microsoft',
      clientId: client.clientId,
      sub: code.sub,
      scopes: code.scopes,
      revoked: false,
    };
    await issue(m, res, grant, code.nonce, code.offline);
  };
}

async function issue(
  m: MicrosoftContext,
  res: Response,
  grant: Grant,
  nonce: string | undefined,
  offline: boolean,
) {
  const user = m.users.find((u) => u.oid === grant.sub);
  if (!user) return error(res, 'invalid_grant', 'AADSTS50020: User account not found.');
  const accessToken = m.tokens.issue(
    { kind: 'access', grant, scopes: grant.scopes },
    'EwA',
    TOKEN_SECONDS * 1000,
  );
  const refreshToken = offline
    ? m.tokens.issue({ kind: 'refresh', grant, scopes: grant.scopes }, 'M.R3_')
    : undefined;
  let idToken: string | undefined;
  if (grant.scopes.includes('openid')) {
    const iat = Math.floor(m.now() / 1000);
    const profile = grant.scopes.includes('profile');
    const email = grant.scopes.includes('email') && user.email !== undefined;
    const claims = m.idTokenOverrides.apply('microsoft', {
      ver: '2.0',
      iss: `https://login.microsoftonline.com/${user.tid}/v2.0`,
      sub: pairwiseSub(user, grant.clientId),
      aud: grant.clientId,
      exp: iat + TOKEN_SECONDS,
      iat,
      nbf: iat,
      nonce,
      tid: user.tid,
      ...(profile && {
        oid: user.oid,
        name: user.name,
        preferred_username: user.preferred_username,
      }),
      ...(email && { email: user.email, ...(user.emailDomainVerified && { xms_edov: true }) }),
    });
    if (claims) {
      for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
      idToken = await m.key.sign(claims);
    }
  }
  sendJson(res, 200, {
    token_type: 'Bearer',
    scope: grant.scopes.filter((s) => s !== 'offline_access').join(' '),
    expires_in: TOKEN_SECONDS,
    access_token: accessToken,
    refresh_token: refreshToken,
    id_token: idToken,
  });
}
