import { randomBytes } from 'node:crypto';
import express, { type Request, type Router } from 'express';
import { SocialAuthError } from '../errors';
import { safeRedirect } from '../flow/redirect';
import { FLOW_TTL_MS, MAX_FLOWS, liveFlows, takeFlow } from '../flow/state';
import { tokenSignIn } from '../flow/token-sign-in';
import { safeEqual } from '../provider/helpers';
import { save } from '../session/middleware';
import type { RouteContext } from './context';
import { RESUBMITTED, sendResubmitPage } from './form-post';
import { cookieCheck, cookieValue, errorBody, wantsJson } from './http';
import { storeSignedIn } from './signed-in';

/** The cookie and field of Google's double-submit CSRF check. */
const CSRF = 'g_csrf_token';
const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 16 });
const json = express.json({ limit: '16kb' });

/** The `nonce` claim of a JWT, read before it is verified: only to find this browser's flow. */
function nonceOf(credential: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(credential.split('.')[1] ?? '', 'base64url').toString());
    return typeof payload?.nonce === 'string' ? (payload.nonce as string) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Google Identity Services' One Tap and "Sign in with Google" button (developers.google.com,
 * "Verify the Google ID token on your server side", checked 2026-12-07), for a plugin with
 * `oneTap`:
 *
 * - `GET /:provider/one-tap?next=/path` (JSON): `{ nonce, loginUri, clientId }` for the page's
 *   `data-nonce`, `data-login_uri` and `data-client_id`. The nonce is a flow of this session,
 *   single-use and ten minutes long, as a redirect sign-in's state is.
 * - `POST /:provider/one-tap` (the `login_uri`): `credential` (the ID token) and `g_csrf_token`,
 *   form-encoded (redirect mode) or JSON. The double-submit check first: the `g_csrf_token`
 *   cookie and field both present and equal. Then the ID token (`aud` this client or one of its
 *   app client ids), whose `nonce` must be this session's; then the same account rules as any
 *   sign-in. A cross-site POST (redirect mode: from Google's page) is posted again from this
 *   site first, so the session cookie comes along (form-post.ts).
 */
export function oneTapRoutes(auth: Router, ctx: RouteContext): void {
  const { config } = ctx;
  const oneTap = (req: Request) => {
    const plugin = ctx.providers.get(String(req.params.provider));
    if (!plugin?.oneTap) {
      throw new SocialAuthError('unknown_provider', 'This provider has no One Tap sign-in');
    }
    return plugin;
  };

  auth.get(
    '/:provider/one-tap',
    ctx.withProvider('session_unavailable', async (_plugin, req, res) => {
      const plugin = oneTap(req);
      res.set('Cache-Control', 'no-store');
      // OIDC Core §3.1.2.1 / §15.5.2: 256 bits, bound to this session, spent by the sign-in.
      const nonce = randomBytes(32).toString('base64url');
      const data = (req.session.socialauth ??= {});
      const flows = liveFlows(data.flows, MAX_FLOWS - 1);
      flows[nonce] = {
        provider: plugin.id,
        nonce,
        next: safeRedirect(req.query.next, ctx.flow.signIn.policy),
        createdAt: Date.now(),
        oneTap: true,
      };
      data.flows = flows;
      // As for a redirect sign-in: a session that is not signed in lives as long as its flow.
      if (!data.user) req.session.cookie.maxAge = FLOW_TTL_MS;
      await save(req);
      res.json({
        nonce,
        loginUri: `${config.baseURL}${config.basePath}/${plugin.id}/one-tap`,
        clientId: plugin.authCode.clientId,
      });
    }),
  );

  auth.post(
    '/:provider/one-tap',
    form,
    json,
    ctx.withProvider('session_unavailable', async (_plugin, req, res) => {
      const plugin = oneTap(req);
      res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
      const body = (req.body ?? {}) as Record<string, unknown>;
      const credential = typeof body.credential === 'string' ? body.credential : '';
      const nonce = nonceOf(credential);
      const known = nonce !== undefined && req.session.socialauth?.flows?.[nonce] !== undefined;
      // Redirect mode: Google's page posts here cross-site, without the SameSite=Lax cookies.
      if (!known && body[RESUBMITTED] === undefined && !req.is('application/json')) {
        const fields = Object.fromEntries(
          Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'),
        );
        sendResubmitPage(req, res, config, `${config.basePath}/${plugin.id}/one-tap`, fields);
        return;
      }
      // Google's double-submit cookie: only a page of this site can set the cookie.
      const sent = cookieValue(req, CSRF);
      const field = typeof body[CSRF] === 'string' ? (body[CSRF] as string) : '';
      if (!sent || !field || !safeEqual(sent, field)) {
        throw new SocialAuthError('csrf_failed', 'The g_csrf_token cookie and field differ');
      }
      if (!credential) throw new SocialAuthError('invalid_request', 'One Tap sent no credential');
      // The nonce names this browser's flow: single-use, ten minutes, this provider's.
      const flow = takeFlow(req.session.socialauth, plugin.id, nonce, cookieCheck(req, config));
      // Only a One Tap nonce: a redirect sign-in's state is no nonce of a One Tap credential.
      if (!flow.oneTap) throw new SocialAuthError('state_mismatch', 'That is no One Tap nonce');
      const now = Date.now();
      const data = () => (req.session.socialauth ??= {});
      const { outcome, profile } = await tokenSignIn(
        ctx.flow,
        plugin,
        { idToken: credential, nonce: flow.nonce },
        data,
        now,
      );
      if (outcome.kind === 'pending') {
        req.session.socialauth = outcome.session;
        await save(req);
        if (wantsJson(req) || req.is('application/json')) {
          res.status(409).json(errorBody(new SocialAuthError('link_pending')));
        } else res.redirect(303, `${config.basePath}/link`);
        return;
      }
      if (outcome.kind !== 'signed-in') throw new SocialAuthError('invalid_request');
      await storeSignedIn(req, outcome, profile, { config, flow: ctx.flow, now });
      const target = flow.next ?? config.afterLogin;
      if (req.is('application/json')) res.json({ user: outcome.user, next: target });
      else res.redirect(303, target);
    }),
  );
}
