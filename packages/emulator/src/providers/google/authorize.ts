import type { RequestHandler } from 'express';
import type { ConsentDecision } from '../../consent';
import { sendErrorPage } from '../../html';
import { queryParams, redirect, withParams, type Params } from '../../http';
import { randomToken } from '../../state';
import type { EmulatorClient } from '../../types';
import type { GoogleUser } from './users';
import {
  CODE_TTL_MS,
  SCOPE_DESCRIPTIONS,
  TOKEN_PREFIX,
  expandScopes,
  findUser,
  type GoogleContext,
} from './common';

const PROMPTS = ['none', 'consent', 'select_account'];
// RFC 7636 §4.2: 43 to 128 characters from the unreserved set.
const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

interface ValidRequest {
  scopes: string[];
  offline: boolean;
  promptConsent: boolean;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
}

type Checked = { ok: true; request: ValidRequest } | { ok: false; error: string; message: string };

/** GET /o/oauth2/v2/auth: Google's authorization endpoint. */
export function authorizeHandler(g: GoogleContext): RequestHandler {
  return (req, res) => {
    const q = queryParams(req);
    const repeated = q.repeated();
    const clientId = q.get('client_id');
    if (!clientId || repeated === 'client_id') {
      return sendErrorPage(res, 400, 'invalid_request', 'Missing required parameter: client_id');
    }
    const client = g.clients.find('google', clientId);
    if (!client) {
      return sendErrorPage(res, 401, 'invalid_client', 'The OAuth client was not found.');
    }
    // An unverified redirect_uri gets an error page, never a redirect: otherwise the endpoint
    // would be an open redirector (RFC 6749 §4.1.2.1, RFC 9700 §4.11.2).
    const redirectUri = q.get('redirect_uri');
    if (
      !redirectUri ||
      repeated === 'redirect_uri' ||
      !g.clients.allowsRedirect(client, redirectUri)
    ) {
      const message = `The redirect URI in the request does not match the ones registered for ${clientId}.`;
      return sendErrorPage(res, 400, 'redirect_uri_mismatch', message);
    }
    const state = q.get('state');
    const checked = check(q, repeated);
    if (!checked.ok) {
      const error = { error: checked.error, error_description: checked.message, state };
      return redirect(res, withParams(redirectUri, error));
    }
    const { request } = checked;
    g.consent.show(res, {
      provider: 'google',
      appName: client.name ?? client.clientId,
      scopes: request.scopes.map((scope) => ({ scope, description: SCOPE_DESCRIPTIONS[scope] })),
      users: g.users.map((user) => ({
        id: user.sub,
        name: user.name ?? user.email ?? user.sub,
        email: user.email,
      })),
      selectedUserId: preselect(g.users, q.get('login_hint'), q.get('hd')),
      complete: (decision) => complete(g, client, redirectUri, state, request, decision),
    });
  };
}

function check(q: Params, repeated: string | undefined): Checked {
  const fail = (error: string, message: string): Checked => ({ ok: false, error, message });
  if (repeated) return fail('invalid_request', `Parameter repeated: ${repeated}`);
  const responseType = q.get('response_type');
  if (!responseType) return fail('invalid_request', 'Missing required parameter: response_type');
  // Only the code flow: the implicit grant is refused (RFC 9700 §2.1.2).
  if (responseType !== 'code') {
    return fail('unsupported_response_type', `Unsupported response_type: ${responseType}`);
  }
  const scope = q.get('scope');
  if (!scope) return fail('invalid_request', 'Missing required parameter: scope');
  const scopes = expandScopes(scope);
  if (!scopes) return fail('invalid_scope', 'Some requested scopes were invalid.');
  const prompts = (q.get('prompt') ?? '').split(' ').filter(Boolean);
  const badPrompt = prompts.find((prompt) => !PROMPTS.includes(prompt));
  if (badPrompt) return fail('invalid_request', `Invalid prompt: ${badPrompt}`);
  if (prompts.includes('none') && prompts.length > 1) {
    return fail('invalid_request', 'prompt=none cannot be combined with other values');
  }
  const accessType = q.get('access_type') ?? 'online';
  if (accessType !== 'online' && accessType !== 'offline') {
    return fail('invalid_request', `Invalid access_type: ${accessType}`);
  }
  const codeChallenge = q.get('code_challenge');
  const method = q.get('code_challenge_method') ?? (codeChallenge ? 'plain' : undefined);
  if (method !== undefined) {
    if (!codeChallenge) return fail('invalid_request', 'Missing code_challenge');
    if (method !== 'S256' && method !== 'plain') {
      return fail('invalid_request', `Invalid code_challenge_method: ${method}`);
    }
    if (!PKCE_VALUE.test(codeChallenge)) return fail('invalid_request', 'Invalid code_challenge');
  }
  // The emulator keeps no browser session, so there is never a signed-in user to use silently
  // (OIDC Core §3.1.2.6).
  if (prompts.includes('none')) return fail('login_required', 'No signed-in user');
  const request: ValidRequest = {
    scopes,
    offline: accessType === 'offline',
    promptConsent: prompts.includes('consent'),
    nonce: q.get('nonce'),
  };
  if (codeChallenge && method) {
    Object.assign(request, { codeChallenge, codeChallengeMethod: method });
  }
  return { ok: true, request };
}

function preselect(
  users: readonly GoogleUser[],
  loginHint: string | undefined,
  hd: string | undefined,
): string | undefined {
  const hint = loginHint?.toLowerCase();
  const byHint = users.find((user) => user.sub === loginHint || user.email?.toLowerCase() === hint);
  return (byHint ?? users.find((user) => hd !== undefined && user.hd === hd))?.sub;
}

function complete(
  g: GoogleContext,
  client: Readonly<EmulatorClient>,
  redirectUri: string,
  state: string | undefined,
  request: ValidRequest,
  decision: ConsentDecision,
): string {
  if (!decision.approved) return withParams(redirectUri, { error: 'access_denied', state });
  const user = findUser(g, decision.userId);
  if (!user) return withParams(redirectUri, { error: 'access_denied', state });
  const code = randomToken(TOKEN_PREFIX.code);
  g.codes.set(
    code,
    {
      ...request,
      provider: 'google',
      clientId: client.clientId,
      redirectUri,
      sub: user.sub,
      used: false,
    },
    CODE_TTL_MS,
  );
  // Google puts `iss` after `state` in a successful response (RFC 9207 §2), though its
  // discovery document does not list authorization_response_iss_parameter_supported: both as
  // recorded Google callbacks and a copy of the document show them (checked 2026-12-02).
  return withParams(redirectUri, {
    state,
    iss: g.issuer,
    code,
    scope: request.scopes.join(' '),
    authuser: '0',
    hd: user.hd,
    prompt: 'consent',
  });
}
