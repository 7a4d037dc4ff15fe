import type { Request, RequestHandler, Response } from 'express';
import { safeEqual } from '../../clients';
import { parseBasic, readForm, type Params } from '../../http';
import { checkVerifier } from '../../pkce';
import type { Grant } from '../../state';
import type { EmulatorClient } from '../../types';
import { TOKEN_PREFIX, expandScopes, findUser, sendOAuthError, type GoogleContext } from './common';
import { sendTokens } from './id-token';

type Client = Readonly<EmulatorClient>;

/** POST /token: Google's token endpoint (authorization_code and refresh_token grants). */
export function tokenHandler(g: GoogleContext): RequestHandler {
  return async (req, res) => {
    const form = await readForm(req);
    if (!form.ok) return sendOAuthError(res, 400, 'invalid_request', form.description);
    const p = form.params;
    const repeated = p.repeated();
    if (repeated) {
      return sendOAuthError(res, 400, 'invalid_request', `Parameter repeated: ${repeated}`);
    }
    const client = authenticate(g, req, res, p);
    if (!client) return;
    const grantType = p.get('grant_type');
    if (grantType === 'authorization_code') return exchangeCode(g, res, p, client);
    if (grantType === 'refresh_token') return refresh(g, res, p, client);
    if (!grantType) {
      return sendOAuthError(res, 400, 'invalid_request', 'Missing required parameter: grant_type');
    }
    // No password or other grants (RFC 9700 §2.4).
    sendOAuthError(res, 400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
  };
}

/** Client authentication by HTTP Basic or by body parameters (RFC 6749 §2.3.1). */
function authenticate(
  g: GoogleContext,
  req: Request,
  res: Response,
  p: Params,
): Client | undefined {
  const header = req.headers.authorization;
  const basic = header === undefined ? undefined : parseBasic(header);
  const challenge: Record<string, string> =
    header === undefined ? {} : { 'WWW-Authenticate': 'Basic realm="emulator"' };
  const rejectClient = () => {
    // RFC 6749 §5.2: 401, with a challenge when the client tried the Authorization header.
    sendOAuthError(res, 401, 'invalid_client', 'Unauthorized', challenge);
    return undefined;
  };
  const badRequest = (description: string) => {
    sendOAuthError(res, 400, 'invalid_request', description);
    return undefined;
  };
  if (header !== undefined && !basic) return rejectClient();
  const bodyId = p.get('client_id');
  const bodySecret = p.get('client_secret');
  // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
  if (basic && bodySecret !== undefined) {
    return badRequest('Client authentication must use one method, not both Basic and the body');
  }
  if (basic && bodyId !== undefined && bodyId !== basic.id) {
    return badRequest('client_id does not match the Authorization header');
  }
  const id = basic?.id ?? bodyId;
  const secret = basic?.secret ?? bodySecret;
  if (!id) return badRequest('Could not determine client ID from request.');
  if (!secret) return badRequest('client_secret is missing.');
  const client = g.clients.find('google', id);
  if (!client || !safeEqual(secret, client.clientSecret ?? '')) return rejectClient();
  const method = basic ? 'client_secret_basic' : 'client_secret_post';
  if (client.tokenEndpointAuthMethod && client.tokenEndpointAuthMethod !== method) {
    return rejectClient();
  }
  return client;
}

async function exchangeCode(g: GoogleContext, res: Response, p: Params, client: Client) {
  const invalidGrant = (description = 'Bad Request') =>
    sendOAuthError(res, 400, 'invalid_grant', description);
  const value = p.get('code');
  if (!value) {
    return sendOAuthError(res, 400, 'invalid_request', 'Missing required parameter: code');
  }
  const code = g.codes.get(value);
  // RFC 6749 §4.1.3: the code must have been issued to the authenticated client.
  if (!code || code.clientId !== client.clientId) return invalidGrant();
  if (code.used) {
    // RFC 6749 §4.1.2: a replayed code is refused, and what it already yielded is revoked.
    if (code.grant) code.grant.revoked = true;
    return invalidGrant();
  }
  // Consumed on first presentation, success or failure, so a code can never be retried.
  code.used = true;
  // RFC 6749 §4.1.3: redirect_uri must be identical to the authorization request's.
  if (p.get('redirect_uri') !== code.redirectUri) return invalidGrant();
  const pkceError = checkVerifier(code, p.get('code_verifier'));
  if (pkceError) return invalidGrant(pkceError);
  const user = findUser(g, code.sub);
  if (!user) return invalidGrant();
  const grant: Grant = {
    provider: 'google',
    clientId: client.clientId,
    sub: user.sub,
    scopes: code.scopes,
    revoked: false,
  };
  code.grant = grant;
  // Google returns a refresh token for an offline grant on the user's first consent to the
  // client, and again only with prompt=consent ("Refreshing an access token (offline access)").
  const consent = `${client.clientId} ${user.sub}`;
  const firstConsent = code.offline && !g.offlineConsents.has(consent);
  if (code.offline) g.offlineConsents.add(consent);
  const refreshToken =
    code.offline && (firstConsent || code.promptConsent)
      ? g.tokens.issue({ kind: 'refresh', grant, scopes: grant.scopes }, TOKEN_PREFIX.refresh)
      : undefined;
  await sendTokens(g, res, { grant, user, scopes: grant.scopes, refreshToken, nonce: code.nonce });
}

async function refresh(g: GoogleContext, res: Response, p: Params, client: Client) {
  const value = p.get('refresh_token');
  if (!value) {
    return sendOAuthError(res, 400, 'invalid_request', 'Missing required parameter: refresh_token');
  }
  const token = g.tokens.find(value);
  if (!token || token.kind !== 'refresh' || token.grant.provider !== 'google') {
    return sendOAuthError(res, 400, 'invalid_grant', 'Token has been expired or revoked.');
  }
  // Google answers a refresh token presented by another client this way (401 seen in the wild).
  if (token.grant.clientId !== client.clientId) {
    return sendOAuthError(res, 401, 'unauthorized_client', 'Unauthorized');
  }
  const user = findUser(g, token.grant.sub);
  if (!user) return sendOAuthError(res, 400, 'invalid_grant', 'Token has been expired or revoked.');
  // RFC 6749 §6: a refresh may narrow the scope, never widen it.
  const requested = p.get('scope');
  const scopes = requested === undefined ? token.grant.scopes : expandScopes(requested);
  if (!scopes || !scopes.every((scope) => token.grant.scopes.includes(scope))) {
    return sendOAuthError(res, 400, 'invalid_scope', 'Some requested scopes were invalid.');
  }
  // No new refresh token and no nonce: Google keeps the original refresh token valid.
  await sendTokens(g, res, { grant: token.grant, user, scopes });
}
