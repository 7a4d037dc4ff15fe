import type { RequestHandler } from 'express';
import type { ConsentDecision } from '../../consent';
import { sendErrorPage } from '../../html';
import { redirect, requestParams, withParams } from '../../http';
import { randomToken } from '../../state';
import type { EmulatorClient } from '../../types';
import { CODE_TTL_MS, NAVER_ITEMS, findUser, type NaverContext } from './common';

/**
 * GET|POST /oauth2.0/authorize: Naver's authorization endpoint (naver-openapi-guide
 * ko/login/api/api.md §2.4.1). `scope` is ignored (the items come from the app's settings),
 * PKCE is not part of these classic endpoints, and `auth_type` (`reprompt`, `reauthenticate`)
 * changes nothing here: the emulator keeps no session, so it always shows the full consent page.
 * `auth_type=autologin` (devguide §5.1) answers without a page: see `Emulator.inAppAccount`.
 */
export function authorizeHandler(n: NaverContext): RequestHandler {
  return async (req, res) => {
    const form = await requestParams(req);
    if (!form.ok) return sendErrorPage(res, 400, 'invalid_request', form.description);
    const q = form.params;
    const clientId = q.get('client_id');
    const client = clientId === undefined ? undefined : n.clients.find('naver', clientId);
    if (!client) {
      return sendErrorPage(res, 400, 'invalid_request', 'Unregistered client_id (client_id).');
    }
    // An unverified redirect_uri gets an error page, never a redirect (RFC 6749 §4.1.2.1).
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri || !n.clients.allowsRedirect(client, redirectUri)) {
      const message = 'The redirect_uri does not match the callback URL registered for the app.';
      return sendErrorPage(res, 400, 'invalid_request', message);
    }
    // Naver requires state (api.md: "필수"); without it there is no page to show, only an error.
    const state = q.get('state');
    if (!state) return sendErrorPage(res, 400, 'invalid_request', 'state is required.');
    if (q.get('response_type') !== 'code') {
      const error = {
        state,
        error: 'unsupported_response_type',
        error_description: 'response_type must be code',
      };
      return redirect(res, withParams(redirectUri, error));
    }
    // 서비스 자동로그인 (devguide §5.1): inside the NAVER app, a user who signed in to this app
    // before gets a code without a screen; anything else is access_denied, for the app to fall
    // back to its sign-in button.
    if (q.get('auth_type') === 'autologin') {
      const refused = (description: string) =>
        redirect(
          res,
          withParams(redirectUri, {
            state,
            error: 'access_denied',
            error_description: description,
          }),
        );
      if (!/NAVER\(inapp; search;/.test(String(req.headers['user-agent'] ?? ''))) {
        return refused('unsupported browser environment.');
      }
      const user = n.inApp.user;
      if (!user) return refused('user not logged in.');
      const items = n.linked.get(`${client.clientId}:${user}`);
      if (!items) return refused('need user consent.');
      const decision = { approved: true as const, userId: user, granted: items };
      return redirect(res, complete(n, client, redirectUri, state, decision));
    }
    n.consent.show(res, {
      provider: 'naver',
      appName: client.name ?? client.clientId,
      scopes: [],
      items: NAVER_ITEMS,
      users: n.users.map((user) => ({
        id: user.key,
        name: user.name ?? user.nickname ?? user.key,
        email: user.email,
      })),
      complete: (decision) => complete(n, client, redirectUri, state, decision),
    });
  };
}

function complete(
  n: NaverContext,
  client: Readonly<EmulatorClient>,
  redirectUri: string,
  state: string,
  decision: ConsentDecision,
): string {
  const user = decision.approved ? findUser(n, decision.userId) : undefined;
  if (!decision.approved || !user) {
    // Naver's cancel callback, as captured (PROVIDERS.md): state first, spaces as '+'.
    const denied = { state, error: 'access_denied', error_description: 'Canceled By User' };
    return withParams(redirectUri, denied);
  }
  n.linked.set(`${client.clientId}:${user.key}`, decision.granted);
  const code = randomToken();
  const entry = { clientId: client.clientId, state, key: user.key, items: decision.granted };
  n.codes.set(code, entry, CODE_TTL_MS);
  return withParams(redirectUri, { code, state });
}
