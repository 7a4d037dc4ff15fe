import { createHash } from 'node:crypto';
import type { StoredIdentity } from '../accounts/types';
import { SocialAuthError } from '../errors';
import type { WebhookEvent } from '../contract';
import type { FlowContext } from './context';

/** What ending a link from the provider's side needs. */
export type UnlinkContext = Pick<
  FlowContext,
  'accounts' | 'index' | 'hooks' | 'sessions' | 'users' | 'coordination'
>;

/** A notification's record lives this long: longer than any provider's own replay window. */
const SEEN_MS = 24 * 60 * 60_000;

/** How an unlink reported by the provider ended. */
export type UnlinkOutcome =
  /** No identity has this subject (never signed in here, or already removed). */
  | { kind: 'unknown' }
  /** The identity was removed from its user. */
  | { kind: 'removed'; identity: StoredIdentity; sessionsEnded: number }
  /** It was the user's only identity: kept, with its tokens dropped and `needsReauth` set. */
  | { kind: 'kept'; identity: StoredIdentity; sessionsEnded: number };

/**
 * The provider says the user ended the app's link there (Kakao's unlink webhook, Naver's unlink
 * notification): the identity goes, the sessions that signed in through it end, and `onUnlink`
 * hears of it. The provider has already revoked the tokens, so nothing is revoked here.
 * Framework-free: plain inputs, a plain outcome.
 *
 * @example
 * ```ts
 * const outcome = await unlinkFromProvider(ctx, 'kakao', '9007199254740993');
 * ```
 */
export async function unlinkFromProvider(
  ctx: UnlinkContext,
  provider: string,
  subject: string,
): Promise<UnlinkOutcome> {
  const identity = await ctx.accounts.findIdentity(provider, subject);
  if (!identity) return { kind: 'unknown' };
  const { userId } = identity;

  let outcome: UnlinkOutcome;
  try {
    const removed = await ctx.accounts.unlink(userId, provider, subject);
    outcome = { kind: 'removed', identity: removed ?? identity, sessionsEnded: 0 };
  } catch (err) {
    if (!(err instanceof SocialAuthError && err.code === 'last_identity')) throw err;
    // The user's only way in cannot be removed (the user would be orphaned), and the provider
    // has already revoked its tokens. So the identity stays but its tokens are dropped and it is
    // marked for re-consent: `accessToken()` answers `reauth_required`, and the user must sign in
    // with the provider again (which asks for consent anew) to get back in. `onUnlink` sees
    // `identity.needsReauth === true`, for an app that would rather delete the account.
    await ctx.accounts.saveTokens(provider, subject, undefined, true);
    const { tokens: _dropped, ...kept } = identity;
    outcome = { kind: 'kept', identity: { ...kept, needsReauth: true }, sessionsEnded: 0 };
  }

  const through = await ctx.index.take(
    userId,
    (s) => s.provider === provider && s.subject === subject,
  );
  await ctx.sessions.end(through);
  outcome.sessionsEnded = through.length;
  await ctx.users.forget(userId);

  const user = await ctx.accounts.getUser(userId);
  if (user) await ctx.hooks.onUnlink?.({ user, identity: outcome.identity });
  return outcome;
}

/**
 * A notification the provider proved it sent (`plugin.webhook`'s event), acted on once
 * (SECURITY.md "Token sign-in and webhooks"): a replay of one with an `id` is `replayed` and
 * changes nothing; a failure gives the record back, so the provider's retry is acted on.
 *
 * @example
 * ```ts
 * const outcome = await providerNotice(ctx, 'naver', await plugin.webhook(request));
 * ```
 */
export async function providerNotice(
  ctx: UnlinkContext,
  provider: string,
  event: WebhookEvent,
): Promise<UnlinkOutcome | { kind: 'replayed' } | { kind: 'noticed' }> {
  // An authentic notification that asks for nothing (Apple's email-disabled): acknowledged.
  if (event.event === 'notice') return { kind: 'noticed' };
  const id =
    event.id &&
    `webhook:${createHash('sha256').update(`${provider}\0${event.id}`).digest('base64url')}`;
  if (id && !(await ctx.coordination.once(id, SEEN_MS))) return { kind: 'replayed' };
  try {
    return await unlinkFromProvider(ctx, provider, event.subject);
  } catch (err) {
    if (id) await ctx.coordination.release(id).catch(() => undefined);
    throw err;
  }
}
