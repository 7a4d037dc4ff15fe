import type { RequestHandler } from 'express';
import type { ConsentDecision, ConsentItem } from '../../consent';
import { sendErrorPage } from '../../html';
import { queryParams, redirect, withPercentParams, type Params } from '../../http';
import { randomToken } from '../../state';
import type { EmulatorClient } from '../../types';
import type { KakaoUser } from './users';
import { CODE_TTL_MS, DEFAULT_SCOPES, KAKAO_SCOPES, type KakaoContext } from './common';

const PROMPTS = ['login', 'none', 'create', 'select_account'];
// RFC 7636 §4.2: 43 to 128 characters from the unreserved set.
const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

interface ValidRequest {
  scopes: string[];
  nonce?: string;
  codeChallenge?: string;
  /** `prompt=none`: no screen may be shown (rest-api "인가 코드 받기"). */
  silent: boolean;
}

type Checked =
  | { ok: true; request: ValidRequest }
  | { ok: false; page?: string; error: string; message: string };

/**
 * GET /oauth/authorize: Kakao's authorization endpoint (rest-api "인가 코드 받기"). Problems
 * Kakao shows on its own page (KOE codes, trouble-shooting) get an error page; the rest go back
 * to the redirect_uri, percent-encoded the way Kakao encodes them.
 */
export function authorizeHandler(k: KakaoContext): RequestHandler {
  return (req, res) => {
    const q = queryParams(req);
    const clientId = q.get('client_id');
    const client = clientId === undefined ? undefined : k.clients.find('kakao', clientId);
    if (!client) return sendErrorPage(res, 400, 'KOE101', 'The app key (client_id) is invalid.');
    // KOE006: never redirect to an unregistered URI (RFC 6749 §4.1.2.1, RFC 9700 §4.11.2).
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri || !k.clients.allowsRedirect(client, redirectUri)) {
      const message = 'The redirect_uri is not registered for this app (KOE006).';
      return sendErrorPage(res, 400, 'KOE006', message);
    }
    const state = q.get('state');
    const checked = check(q);
    if (!checked.ok) {
      if (checked.page) return sendErrorPage(res, 400, checked.page, checked.message);
      const error = { error: checked.error, error_description: checked.message, state };
      return redirect(res, withPercentParams(redirectUri, error));
    }
    const { request } = checked;
    if (request.silent) {
      // No screen: KakaoTalk's own account, when it agreed before to every item asked
      // (auto-login from KakaoTalk); otherwise the emulator, which keeps no session, has nobody
      // who agreed (rest-api: prompt=none answers consent_required).
      const user = silentUser(k, client.clientId, req.headers['user-agent'], request.scopes);
      if (!user) {
        const error = {
          error: 'consent_required',
          error_description: 'user consent required',
          state,
        };
        return redirect(res, withPercentParams(redirectUri, error));
      }
      const decision = { approved: true as const, userId: user, granted: allItems(request.scopes) };
      return redirect(res, complete(k, client, redirectUri, state, request, decision));
    }
    const items = request.scopes.flatMap((scope) => {
      const known = KAKAO_SCOPES[scope];
      return known ? [{ ...known, scope }] : [];
    });
    k.consent.show(res, {
      provider: 'kakao',
      appName: client.name ?? client.clientId,
      scopes: request.scopes.includes('openid')
        ? [{ scope: 'openid', description: 'Sign you in with an ID token' }]
        : [],
      items,
      users: k.users.map((user) => ({
        id: user.id,
        name: user.nickname ?? user.id,
        email: user.email,
      })),
      selectedUserId: preselect(k.users, q.get('login_hint')),
      complete: (decision) => complete(k, client, redirectUri, state, request, decision),
    });
  };
}

function check(q: Params): Checked {
  const fail = (error: string, message: string): Checked => ({ ok: false, error, message });
  if (q.get('response_type') !== 'code') {
    return fail('unsupported_response_type', 'response_type must be code');
  }
  // Kakao separates scopes with commas (rest-api "추가 항목 동의 받기").
  const requested = q
    .get('scope')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const scopes = [...new Set(requested?.length ? requested : DEFAULT_SCOPES)];
  const unknown = scopes.find((scope) => scope !== 'openid' && !KAKAO_SCOPES[scope]);
  if (unknown) {
    const message = `The consent item ${unknown} is not set up for this app (KOE205).`;
    return { ok: false, page: 'KOE205', error: 'invalid_scope', message };
  }
  const prompts = (q.get('prompt') ?? '').split(',').filter(Boolean);
  const badPrompt = prompts.find((prompt) => !PROMPTS.includes(prompt));
  if (badPrompt) return fail('invalid_request', `invalid prompt: ${badPrompt}`);
  const codeChallenge = q.get('code_challenge');
  const method = q.get('code_challenge_method');
  if (codeChallenge !== undefined || method !== undefined) {
    if (!codeChallenge) return fail('invalid_request', 'code_challenge is required');
    // Kakao supports S256 only; a missing method would mean plain (RFC 7636 §4.3).
    if (method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (!PKCE_VALUE.test(codeChallenge)) return fail('invalid_request', 'invalid code_challenge');
  }
  const silent = prompts.includes('none');
  return { ok: true, request: { scopes, nonce: q.get('nonce'), codeChallenge, silent } };
}

function preselect(users: readonly KakaoUser[], hint: string | undefined): string | undefined {
  if (hint === undefined) return undefined;
  const wanted = hint.toLowerCase();
  return users.find((user) => user.id === hint || user.email?.toLowerCase() === wanted)?.id;
}

function complete(
  k: KakaoContext,
  client: Readonly<EmulatorClient>,
  redirectUri: string,
  state: string | undefined,
  request: ValidRequest,
  decision: ConsentDecision,
): string {
  const user = decision.approved ? k.users.find((u) => u.id === decision.userId) : undefined;
  if (!decision.approved || !user) {
    const denied = { error: 'access_denied', error_description: 'User denied access', state };
    return withPercentParams(redirectUri, denied);
  }
  // A declined item is not granted; nor is an email the account does not have.
  const scopes = request.scopes.filter((scope) => {
    const known = KAKAO_SCOPES[scope];
    if (!known) return true;
    return decision.granted.includes(known.item) && (scope !== 'account_email' || !!user.email);
  });
  const code = randomToken();
  const { nonce, codeChallenge } = request;
  const entry = { clientId: client.clientId, redirectUri, userId: user.id, scopes };
  k.codes.set(code, { ...entry, authTime: k.now(), nonce, codeChallenge }, CODE_TTL_MS);
  return withPercentParams(redirectUri, { code, state });
}

/** KakaoTalk's account, when the request comes from its browser and that account agreed before. */
function silentUser(
  k: KakaoContext,
  clientId: string,
  userAgent: string | undefined,
  scopes: readonly string[],
): string | undefined {
  const user = k.inApp.user;
  if (!user || !/KAKAOTALK/i.test(userAgent ?? '')) return undefined;
  const agreed = k.agreed.get(`${clientId}:${user}`);
  if (!agreed) return undefined;
  return scopes.every((scope) => scope === 'openid' || agreed.has(scope)) ? user : undefined;
}

/** Every consent item the scopes name, as a consent page with nothing unchecked grants them. */
function allItems(scopes: readonly string[]): ConsentItem[] {
  return scopes.flatMap((scope) => {
    const known = KAKAO_SCOPES[scope];
    return known ? [known.item] : [];
  });
}
