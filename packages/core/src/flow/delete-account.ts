import type { AccountDeletion, RevokeOutcome } from '../accounts/hooks';
import { SocialAuthError } from '../errors';
import type { FlowContext } from './context';

/** What deleting an account needs. */
export type DeletionContext = Pick<
  FlowContext,
  'accounts' | 'access' | 'hooks' | 'index' | 'sessions' | 'users' | 'coordination'
>;

/**
 * A deletion holds its user's lock at most this long: the provider calls (10 s each at most)
 * and the store writes fit well within it, and a crashed holder frees it when it ends.
 */
const DELETION_LOCK_MS = 5 * 60_000;

/** How {@link deleteAccount} may proceed. */
export interface DeleteOptions {
  /**
   * Delete even when a provider cannot be reached to revoke its grant (the grant then stays at
   * the provider until the user removes it there; `onError` hears each). Default false: the
   * deletion stops, and can be retried, with the account as it was.
   */
  force?: boolean;
}

/**
 * Deletes an account, in this order (README "Deleting an account"):
 *
 * 1. Takes the user's deletion lock (a second deletion meanwhile is `deletion_in_progress`).
 * 2. `beforeDeleteUser` deletes the app's rows, or vetoes (`deletion_refused`).
 * 3. Disables the user (`disabledAt`): a sign-in that finishes meanwhile is `account_disabled`.
 * 4. Revokes each identity's grant at its provider (Apple's revoke, Kakao's unlink, Naver's
 *    token delete, Google's revoke), dropping the tokens of each one revoked. When a provider
 *    cannot be reached (no answer, a 5xx), it stops here, unless `force`: the user is enabled
 *    again and `deletion_failed` (`reason: 'provider_unreachable'`) says so. Nothing is lost and
 *    a retry carries on, revoking only what is left.
 * 5. Ends every session of the user, on every instance.
 * 6. Removes the user, its identities, tokens, provider data and email from the account store
 *    in one atomic step; `onUserDeleted` hears of it.
 *
 * Framework-free: the route and `auth.deleteUser` call it alike.
 *
 * @example
 * ```ts
 * const deletion = await deleteAccount(ctx, 'u1');
 * deletion.identities; // [{ provider: 'kakao', subject: '42', revoke: 'revoked' }]
 * ```
 */
export async function deleteAccount(
  ctx: DeletionContext,
  userId: string,
  options: DeleteOptions = {},
): Promise<AccountDeletion> {
  const { accounts } = ctx;
  if (!accounts.deleteUser) {
    throw new SocialAuthError(
      'config_invalid',
      'The account store has no deleteUser: use memoryAccounts, redisAccounts or postgresAccounts, or add it to your store',
    );
  }
  if (typeof userId !== 'string' || userId === '') {
    throw new SocialAuthError('invalid_request', 'deleteUser needs a user id');
  }
  const release = await ctx.coordination.lock(`delete-user:${userId}`, DELETION_LOCK_MS);
  if (!release) throw new SocialAuthError('deletion_in_progress');
  try {
    const user = await accounts.getUser(userId);
    if (!user) throw new SocialAuthError('user_not_found');
    const identities = await accounts.listIdentities(userId);
    if ((await ctx.hooks.beforeDeleteUser?.({ user, identities })) === false) {
      throw new SocialAuthError('deletion_refused');
    }

    const wasDisabled = user.disabledAt !== undefined;
    if (!wasDisabled) await accounts.setDisabled?.(userId, true);
    let outcomes: RevokeOutcome[];
    let sessions: Awaited<ReturnType<DeletionContext['index']['take']>>;
    try {
      outcomes = [];
      for (const identity of identities) {
        outcomes.push(await ctx.access.revokeForDeletion(identity));
      }
      const down = identities.filter((_, i) => outcomes[i] === 'unreachable');
      if (down.length > 0 && !options.force) {
        const names = [...new Set(down.map((i) => i.provider))].join(', ');
        throw new SocialAuthError(
          'deletion_failed',
          `Not deleted: ${names} could not be reached to revoke access. The account is as it was; try again`,
          { reason: 'provider_unreachable' },
        );
      }
      sessions = await ctx.index.take(userId);
      await ctx.sessions.end(sessions);
      await accounts.deleteUser(userId);
    } catch (err) {
      // Stopped before the account left the store: it is usable again, as it was (less the
      // grants already revoked, whose identities now ask for a fresh sign-in).
      if (!wasDisabled) await accounts.setDisabled?.(userId, false).catch(() => undefined);
      throw err;
    }
    // After the store: a sign-in that cached the user meanwhile is dropped on every instance.
    await ctx.users.forget(userId);

    const deletion: AccountDeletion = {
      user,
      identities: identities.map((i, n) => ({
        provider: i.provider,
        subject: i.subject,
        revoke: outcomes[n]!,
      })),
      sessionsEnded: sessions.length,
    };
    try {
      await ctx.hooks.onUserDeleted?.(deletion);
    } catch (err) {
      // The account is gone either way: the hook's failure is the app's to hear, not a failure.
      const message = 'onUserDeleted failed after the account was deleted';
      await ctx.access.report(new SocialAuthError('deletion_failed', message, { cause: err }), {
        userId,
      });
    }
    return deletion;
  } finally {
    await release();
  }
}
