import { createHash } from 'node:crypto';
import express, { type Router } from 'express';
import { SocialAuthError } from '../errors';
import { EXPIRED_REASONS } from '../flow/state';
import { completeSignIn } from '../flow/sign-in';
import type { NativeToken } from '../provider/contract';
import { sessionToken } from '../session/bearer';
import { save } from '../session/middleware';
import type { RouteContext } from './context';
import { errorBody } from './http';
import { storeSignedIn } from './signed-in';

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const hash = (text: string) => createHash('sha256').update(text).digest('base64url');

/** A used ID token is remembered until it expires, with this much clock skew, within bounds. */
const SKEW_MS = 5 * 60_000;
const MIN_MEMORY_MS = 60_000;
const MAX_MEMORY_MS = 24 * 60 * 60_000;

/**
 * What a verified ID token says about itself, for its use record: the signed part (header and
 * payload; never the signature, whose unused trailing bits give one token several spellings
 * that all verify), how long to remember it (until its `exp`, and the skew) and its own `nonce`
 * claim (not the request body's, which an app may leave out).
 */
function usedRecord(idToken: string, now: number) {
  const [header = '', body = ''] = idToken.split('.');
  let ttl = MAX_MEMORY_MS;
  let nonce: string | undefined;
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as {
      exp?: unknown;
      nonce?: unknown;
    };
    if (typeof payload.exp === 'number') {
      ttl = Math.min(MAX_MEMORY_MS, Math.max(MIN_MEMORY_MS, payload.exp * 1000 - now + SKEW_MS));
    }
    if (typeof payload.nonce === 'string') nonce = payload.nonce;
  } catch {
    // verified already, so this does not happen; remembered longest
  }
  return { signed: `${header}.${body}`, ttl, nonce };
}

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
      const now = Date.now();
      // An app's ID token signs in once (OIDC Core §3.1.3.7 item 11, the nonce is there to stop
      // replay): a copied token is worth nothing afterwards, on any instance. Its
      // nonce too, so a second token minted for the same request is refused as well. Recorded
      // only once the token is verified: a forged one claims nothing.
      if (token.idToken) {
        const { signed, ttl, nonce } = usedRecord(token.idToken, now);
        const fresh = await config.coordination.once(`id-token:${hash(signed)}`, ttl);
        const nonceFresh =
          !fresh ||
          nonce === undefined ||
          (await config.coordination.once(`nonce:${hash(`${plugin.id}\0${nonce}`)}`, ttl));
        if (!fresh || !nonceFresh) {
          throw new SocialAuthError('login_expired', EXPIRED_REASONS.token_used, {
            reason: 'token_used',
          });
        }
      }
      const data = (req.session.socialauth ??= {});
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
