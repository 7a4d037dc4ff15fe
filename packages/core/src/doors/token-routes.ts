import express, { type Router } from 'express';
import { SocialAuthError } from '../errors';
import { tokenSignIn } from '../flow/token-sign-in';
import { sessionToken } from '../session/bearer';
import { save } from '../session/middleware';
import type { RouteContext } from './context';
import { errorBody } from './http';
import { storeSignedIn } from './signed-in';

/**
 * `POST /:provider/token`: a mobile or web app that signed the user in with the provider's own
 * SDK hands over what it got (`{ idToken, nonce? }`, `{ accessToken }` or, for Naver,
 * `{ accessToken, refreshToken }`); the provider plugin
 * verifies it was issued to this app, and the same account rules as a browser sign-in decide.
 * Answers `{ user }` with a new session (cookie), or 409 `link_pending` with the pending link.
 */
export function tokenRoutes(auth: Router, ctx: RouteContext): void {
  const { config } = ctx;
  auth.post(
    '/:provider/token',
    express.json({ limit: '16kb' }),
    ctx.withProvider('session_unavailable', async (plugin, req, res) => {
      res.set('Cache-Control', 'no-store');
      // SECURITY.md "Token sign-in": a native app sends no Origin; a browser on this site sends
      // this site's. A foreign one, or `null` (a sandboxed or opaque origin), is a page
      // elsewhere posting here (OWASP CSRF Prevention, "Verifying Origin").
      const origin = req.get('origin');
      if (origin !== undefined && origin !== config.origin) {
        throw new SocialAuthError('csrf_failed', 'The token came from another site');
      }
      // Login CSRF (OWASP): only a JSON body. A page elsewhere can post a form here, but not
      // JSON without a CORS preflight this site never grants, so it cannot sign a visitor in
      // as someone else.
      if (!req.is('application/json')) {
        throw new SocialAuthError('invalid_request', 'Send the token as application/json');
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const data = () => (req.session.socialauth ??= {});
      const now = Date.now();
      const { outcome, profile } = await tokenSignIn(ctx.flow, plugin, body, data, now);
      if (outcome.kind === 'pending') {
        req.session.socialauth = outcome.session;
        await save(req);
        const { pendingLink } = outcome.session;
        res.status(409).json({
          ...errorBody(new SocialAuthError('link_pending')),
          pendingLink: { id: pendingLink?.id, provider: pendingLink?.provider },
        });
        return;
      }
      // No connectFor in the flow above, so the outcome is a sign-in.
      if (outcome.kind !== 'signed-in') throw new SocialAuthError('invalid_request');
      await storeSignedIn(req, outcome, profile, { config, flow: ctx.flow, now });
      const { user } = outcome;
      // An app without a cookie jar asks for the session as a token: `Authorization: Bearer`.
      const asToken = body.session === 'token';
      res.json({
        user,
        ...(asToken && { sessionToken: sessionToken(req.sessionID, config.secret[0]!) }),
      });
    }),
  );
}
