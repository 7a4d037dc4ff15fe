import type { UserPage, UserQuery } from '../accounts/types';
import { SocialAuthError } from '../errors';
import type { FlowContext } from './context';
import { exportAccount, type AccountExport } from './export';
import { endUserSessions } from './sign-out';

type AdminContext = Pick<
  FlowContext,
  'accounts' | 'access' | 'index' | 'sessions' | 'users' | 'handleSecret'
>;

/** A store method the admin functions need, or a start-up-style error naming the fix. */
function needs<K extends 'listUsers' | 'setDisabled'>(
  ctx: AdminContext,
  method: K,
): NonNullable<FlowContext['accounts'][K]> {
  const found = ctx.accounts[method];
  if (!found) {
    throw new SocialAuthError(
      'config_invalid',
      `The account store has no ${method}: use memoryAccounts, redisAccounts or postgresAccounts, or add it to your store`,
    );
  }
  return found.bind(ctx.accounts) as NonNullable<FlowContext['accounts'][K]>;
}

/** One page of users ({@link UserQuery}); `invalid_request` for a bad query or cursor. */
export function listUsers(ctx: AdminContext, query: UserQuery = {}): Promise<UserPage> {
  return needs(ctx, 'listUsers')(query);
}

/** One user with identities (no tokens), granted scopes, provider data and live sessions. */
export function readUser(ctx: AdminContext, userId: string): Promise<AccountExport | undefined> {
  return exportAccount(ctx, { userId, sid: '' });
}

/**
 * Disables a user: sign-in is refused with `account_disabled` until {@link enableUser}, and every
 * session ends now, on every instance. Resolves to how many sessions ended; `user_not_found`
 * when there is no such user.
 */
export async function disableUser(ctx: AdminContext, userId: string): Promise<number> {
  if (!(await needs(ctx, 'setDisabled')(userId, true))) throw new SocialAuthError('user_not_found');
  return endUserSessions(ctx, userId);
}

/** Lets a disabled user sign in again; `user_not_found` when there is no such user. */
export async function enableUser(ctx: AdminContext, userId: string): Promise<void> {
  if (!(await needs(ctx, 'setDisabled')(userId, false)))
    throw new SocialAuthError('user_not_found');
  await ctx.users.forget(userId);
}
