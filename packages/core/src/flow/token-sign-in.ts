import { createHash } from 'node:crypto';
import { SocialAuthError } from '../errors';
import type { NativeToken, ProviderPlugin, SocialProfile } from '../contract';
import type { SocialAuthSessionData } from '../types';
import type { FlowContext } from './context';
import { grantedScopes } from '../accounts/scopes';
import { completeSignIn, type SignInOutcome } from './sign-in';
import { EXPIRED_REASONS } from '../locale/reasons';

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

/** The token fields of a token sign-in's body; the rest is ignored. */
function nativeToken(body: Readonly<Record<string, unknown>>): NativeToken {
  const token: NativeToken = {
    idToken: str(body.idToken),
    accessToken: str(body.accessToken),
    refreshToken: str(body.refreshToken),
    nonce: str(body.nonce),
    authorizationCode: str(body.authorizationCode),
    ...(body.user !== undefined && { user: body.user }),
  };
  if (!token.idToken && !token.accessToken && !token.refreshToken) {
    throw new SocialAuthError('invalid_request', 'Send idToken, accessToken or refreshToken');
  }
  return token;
}

/**
 * Sign-in with what a mobile or web app got from the provider's own SDK: the plugin verifies the
 * token was issued to this app, an ID token is spent, then the same account rules as a browser
 * sign-in decide. The door stores the outcome (a new session, or the pending link).
 *
 * @example
 * ```ts
 * const data = () => (req.session.socialauth ??= {});
 * const { outcome, profile } = await tokenSignIn(ctx, plugin, req.body, data, Date.now());
 * ```
 */
export async function tokenSignIn(
  ctx: Pick<FlowContext, 'coordination' | 'signIn'>,
  plugin: ProviderPlugin,
  /** The request's JSON body: `{ idToken, nonce? }`, `{ accessToken }`, `{ accessToken, refreshToken }`. */
  body: Readonly<Record<string, unknown>>,
  /**
   * The session's socialauth data, asked for only once the token is verified and spent, so a
   * refused sign-in leaves the session (and its cookie) untouched.
   */
  data: () => SocialAuthSessionData,
  now: number,
): Promise<{ outcome: SignInOutcome; profile: SocialProfile }> {
  if (!plugin.tokenSignIn) {
    throw new SocialAuthError('unknown_provider', `${plugin.name} has no token sign-in`);
  }
  const token = nativeToken(body);
  const { profile, tokens } = await plugin.tokenSignIn(token);
  // An app's ID token signs in once (OIDC Core §3.1.3.7 item 11, the nonce is there to stop
  // replay): a copied token is worth nothing afterwards, on any instance. Its nonce too, so a
  // second token minted for the same request is refused as well. Recorded only once the token is
  // verified: a forged one claims nothing.
  if (token.idToken) {
    const { signed, ttl, nonce } = usedRecord(token.idToken, now);
    const fresh = await ctx.coordination.once(`id-token:${hash(signed)}`, ttl);
    const nonceFresh =
      !fresh ||
      nonce === undefined ||
      (await ctx.coordination.once(`nonce:${hash(`${plugin.id}\0${nonce}`)}`, ttl));
    if (!fresh || !nonceFresh) {
      throw new SocialAuthError('login_expired', EXPIRED_REASONS.token_used, {
        reason: 'token_used',
      });
    }
  }
  const outcome = await completeSignIn(ctx.signIn, {
    flow: { provider: plugin.id, createdAt: now },
    data: data(),
    profile,
    tokens,
    // A native SDK's grant: what its token response said, or the plugin's reading.
    scopes: grantedScopes(plugin.grantedScopes, { tokens, requested: [], profile }),
    now,
  });
  return { outcome, profile };
}
