import express, { type Router } from 'express';
import { SocialAuthError } from '../errors';
import { completeSignIn } from '../flow/sign-in';
import type { NativeToken } from '../provider/contract';
import { sessionToken } from '../session/bearer';
import { save } from '../session/middleware';
import type { RouteContext } from './context';
import { errorBody } from './http';
import { storeSignedIn } from './signed-in';

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

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
      // Login CSRF (OWASP): only a JSON body. A page elsewhere can post a form here, but not
      // JSON without a CORS preflight this site never grants, so it cannot sign a visitor in
      // as someone else.
      if (!req.is('application/json')) {
        throw new SocialAuthError('invalid_request', 'Send the token as application/json');
      }
      if (!plugin.tokenSignIn) {
        throw new SocialAuthError('unknown_provider', `${plugin.name} has no token sign-in`);
      }
      const body = (req.body ?? {}) as Record<string, unknown>;
      const token: NativeToken = {
        idToken: str(body.idToken),
        accessToken: str(body.accessToken),
        refreshToken: str(body.refreshToken),
        nonce: str(body.nonce),
      };
      if (!token.idToken && !token.accessToken && !token.refreshToken) {
        throw new SocialAuthError('invalid_request', 'Send idToken, accessToken or refreshToken');
      }
      const { profile, tokens } = await plugin.tokenSignIn(token);
      const data = (req.session.socialauth ??= {});
      const now = Date.now();
      const outcome = await completeSignIn(ctx.login.flow, {
        flow: { provider: plugin.id, createdAt: now },
        data,
        profile,
        tokens,
        now,
      });
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
      const { index, users } = ctx;
      await storeSignedIn(req, outcome, profile, { config, index, users, now });
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
