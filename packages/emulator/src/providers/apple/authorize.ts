import type { RequestHandler } from 'express';
import type { ConsentDecision, FormPost } from '../../consent';
import { sendErrorPage } from '../../html';
import { queryParams, withParams } from '../../http';
import { randomToken } from '../../state';
import type { EmulatorClient } from '../../types';
import {
  APPLE_ISSUER,
  CODE_TTL_MS,
  ID_TOKEN_SECONDS,
  TOKEN_PREFIX,
  findUser,
  type AppleContext,
} from './common';
import { sharedEmail, type AppleUser } from './users';

const SCOPES = ['name', 'email'];
const MODES = ['query', 'fragment', 'form_post'] as const;
type Mode = (typeof MODES)[number];

interface ValidRequest {
  scopes: string[];
  mode: Mode;
  withIdToken: boolean;
  nonce?: string;
}

/**
 * GET /auth/authorize: Sign in with Apple's authorization endpoint ("Request an authorization
 * to the Sign in with Apple server", checked 2026-12-07). `response_type` is `code` or
 * `code id_token`; a request with scopes must use `response_mode=form_post`. Apple answers a bad
 * request with an error page of its own, never with a redirect.
 */
export function authorizeHandler(a: AppleContext): RequestHandler {
  return (req, res) => {
    const q = queryParams(req);
    const repeated = q.repeated();
    if (repeated) return sendErrorPage(res, 400, 'invalid_request', `${repeated} repeated`);
    const clientId = q.get('client_id');
    const client = clientId ? a.clients.find('apple', clientId) : undefined;
    if (!client) return sendErrorPage(res, 400, 'invalid_client', 'Invalid client id.');
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri || !a.clients.allowsRedirect(client, redirectUri)) {
      return sendErrorPage(res, 400, 'invalid_request', 'Invalid redirect_uri.');
    }
    const responseType = q.get('response_type');
    if (responseType !== 'code' && responseType !== 'code id_token') {
      return sendErrorPage(res, 400, 'unsupported_response_type', 'Invalid response_type.');
    }
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
    if (!scopes.every((scope) => SCOPES.includes(scope))) {
      return sendErrorPage(res, 400, 'invalid_scope', 'Invalid scope.');
    }
    const mode = (q.get('response_mode') ?? 'query') as Mode;
    if (!MODES.includes(mode)) {
      return sendErrorPage(res, 400, 'invalid_request', 'Invalid response_mode.');
    }
    // Apple's own words for this one, as its error page shows them.
    if (scopes.length > 0 && mode !== 'form_post') {
      const message = 'response_mode must be form_post when name or email scope is requested.';
      return sendErrorPage(res, 400, 'invalid_request', message);
    }
    if (responseType === 'code id_token' && mode === 'query') {
      return sendErrorPage(res, 400, 'invalid_request', 'response_mode must not be query.');
    }
    const request: ValidRequest = {
      scopes,
      mode,
      withIdToken: responseType === 'code id_token',
      nonce: q.get('nonce'),
    };
    const state = q.get('state');
    a.consent.show(res, {
      provider: 'apple',
      appName: client.name ?? client.clientId,
      scopes: scopes.map((scope) => ({ scope })),
      users: a.users.map((user) => ({
        id: user.sub,
        name: [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email,
        email: sharedEmail(user),
      })),
      complete: (decision) => complete(a, client, redirectUri, state, request, decision),
    });
  };
}

async function complete(
  a: AppleContext,
  client: Readonly<EmulatorClient>,
  redirectUri: string,
  state: string | undefined,
  request: ValidRequest,
  decision: ConsentDecision,
): Promise<string | FormPost> {
  const user = decision.approved ? findUser(a, decision.userId) : undefined;
  // "The only error code that might be returned is user_cancelled_authorize."
  if (!user) return answer(redirectUri, request.mode, { error: 'user_cancelled_authorize', state });
  const code = randomToken(TOKEN_PREFIX.code);
  a.codes.set(
    code,
    {
      provider: 'apple',
      clientId: client.clientId,
      redirectUri,
      sub: user.sub,
      scopes: request.scopes,
      offline: true,
      nonce: request.nonce,
      used: false,
    },
    CODE_TTL_MS,
  );
  const first = !a.authorized.has(`${client.clientId} ${user.sub}`);
  a.authorized.add(`${client.clientId} ${user.sub}`);
  const fields: Record<string, string | undefined> = { state, code };
  if (request.withIdToken) {
    fields.id_token = await a.key.sign(
      idTokenClaims(a, user, client.clientId, request.scopes, request.nonce),
    );
  }
  // "Apple only returns the user object the first time the user authorizes the app."
  if (first && request.scopes.length > 0) fields.user = userField(user, request.scopes);
  return answer(redirectUri, request.mode, fields);
}

function answer(
  redirectUri: string,
  mode: Mode,
  fields: Record<string, string | undefined>,
): string | FormPost {
  if (mode === 'form_post') return { action: redirectUri, fields };
  if (mode === 'query') return withParams(redirectUri, fields);
  const hash = new URLSearchParams(
    Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return `${redirectUri}#${hash.toString()}`;
}

/** The `user` form field: `{"name":{"firstName","lastName"},"email"}`, for the scopes asked. */
function userField(user: AppleUser, scopes: readonly string[]): string {
  return JSON.stringify({
    ...(scopes.includes('name') && {
      name: { firstName: user.firstName ?? '', lastName: user.lastName ?? '' },
    }),
    ...(scopes.includes('email') && { email: sharedEmail(user) }),
  });
}

/**
 * An ID token's claims as Apple issues them to `clientId`: no name ever; the email (and its
 * flags, strings as in Apple's older tokens) only with the email scope.
 */
export function idTokenClaims(
  a: AppleContext,
  user: AppleUser,
  clientId: string,
  scopes: readonly string[],
  nonce: string | undefined,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const iat = Math.floor(a.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: APPLE_ISSUER,
    aud: clientId,
    exp: iat + ID_TOKEN_SECONDS,
    iat,
    sub: user.sub,
    nonce,
    ...(nonce !== undefined && { nonce_supported: true }),
    ...(scopes.includes('email') && {
      email: sharedEmail(user),
      email_verified: 'true',
      ...(user.relayEmail !== undefined && { is_private_email: 'true' }),
    }),
    auth_time: iat,
    ...extra,
  };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
  return claims;
}
