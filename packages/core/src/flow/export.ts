import type { SessionInfo } from '../session/user-sessions';
import type { FlowContext } from './context';
import { listSessions } from './sign-out';

/** What `GET <basePath>/account/export` gives the signed-in user: their data, no credentials. */
export interface AccountExport {
  /** ISO 8601. */
  exportedAt: string;
  user: {
    id: string;
    name?: string;
    email?: string;
    avatarUrl?: string;
    createdAt: string;
    /** Only in `auth.admin.get`: a disabled user cannot sign in to export. */
    disabledAt?: string;
  };
  identities: {
    provider: string;
    subject: string;
    email?: string;
    emailVerified: boolean;
    linkedAt: string;
    /** Set when the provider ended the link and the user must sign in there again. */
    needsReauth?: boolean;
    /** What the provider said it granted (its token response's `scope`). */
    scopes: string[];
    /** The provider's latest profile as kept (`req.socialAuth.providerData`). */
    providerData?: Record<string, unknown>;
  }[];
  sessions: SessionInfo[];
}

/**
 * The user's data as JSON, the building block of a data-access request (GDPR Art. 15, Korea's
 * PIPA Art. 35): the user, each identity (never its tokens), its granted scopes and stored
 * provider data, and the live sessions (by handle, never by id).
 *
 * @example
 * ```ts
 * const data = await exportAccount(ctx, { userId: req.user.id, sid: req.sessionID });
 * ```
 */
export async function exportAccount(
  ctx: Pick<FlowContext, 'accounts' | 'access' | 'index' | 'sessions' | 'handleSecret'>,
  input: { userId: string; sid: string },
): Promise<AccountExport | undefined> {
  const user = await ctx.accounts.getUser(input.userId);
  if (!user) return undefined;
  const identities = await ctx.accounts.listIdentities(user.id);
  const parse = (text: string | undefined) => {
    try {
      return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      return undefined;
    }
  };
  return {
    exportedAt: new Date().toISOString(),
    user: {
      id: user.id,
      ...(user.name !== undefined && { name: user.name }),
      ...(user.email !== undefined && { email: user.email }),
      ...(user.avatarUrl !== undefined && { avatarUrl: user.avatarUrl }),
      createdAt: user.createdAt,
      ...(user.disabledAt !== undefined && { disabledAt: user.disabledAt }),
    },
    identities: identities.map((i) => {
      const providerData = parse(i.profile);
      return {
        provider: i.provider,
        subject: i.subject,
        ...(i.email !== undefined && { email: i.email }),
        emailVerified: i.emailVerified,
        linkedAt: i.linkedAt,
        ...(i.needsReauth && { needsReauth: true }),
        scopes: ctx.access.grantedScopes(i),
        ...(providerData && { providerData }),
      };
    }),
    sessions: await listSessions(ctx, input),
  };
}
