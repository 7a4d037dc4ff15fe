import type { PendingLink } from '../accounts/rules';
import { snapshot } from '../accounts/snapshot';
import type { StoredIdentity } from '../accounts/types';
import type { SocialAuthUser } from '../types';
import type { FlowContext } from './context';

/**
 * A signed-in user removes one of their identities: its grant is revoked at the provider and it
 * leaves the user (never the last one: `last_identity`); the sessions that signed in through it
 * end, except `keepSid` (the session that asked, whose user just proved it is here).
 *
 * @example
 * ```ts
 * const { removed, user } = await disconnect(ctx, { user: req.user, provider: 'kakao', keepSid: req.sessionID });
 * ```
 */
export async function disconnect(
  ctx: Pick<FlowContext, 'access' | 'index' | 'sessions' | 'accounts' | 'users'>,
  input: { user: SocialAuthUser; provider: string; subject?: string; keepSid: string },
): Promise<{ removed: StoredIdentity; user: SocialAuthUser }> {
  const { user: current, keepSid } = input;
  const removed = await ctx.access.disconnect(current.id, input.provider, input.subject);
  const through = await ctx.index.take(
    current.id,
    (s) => s.provider === removed.provider && s.subject === removed.subject && s.sid !== keepSid,
  );
  await ctx.sessions.end(through);
  const user = await snapshot(ctx.accounts, current, current.provider);
  await ctx.users.changed(user);
  return { removed, user };
}

/**
 * The answer to a pending link (an identity whose email matched an account the user had to sign
 * in to first): `confirm` links it to the signed-in user; anything else drops it. The caller has
 * already taken the link out of the session (it is spent either way). Returns the user as it is
 * now.
 */
export async function answerPendingLink(
  ctx: Pick<FlowContext, 'rules' | 'accounts' | 'users'>,
  input: { user: SocialAuthUser; link: PendingLink | undefined; confirm: boolean },
): Promise<SocialAuthUser> {
  const { user, link } = input;
  if (!link || !input.confirm) return user;
  await ctx.rules.confirm(user.id, link);
  const updated = await snapshot(ctx.accounts, user, user.provider);
  await ctx.users.changed(updated);
  return updated;
}
