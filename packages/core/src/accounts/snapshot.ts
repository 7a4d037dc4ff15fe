import type { SocialProfile } from '../contract';
import type { Identity, SocialAuthUser } from '../types';
import type { AccountStore, StoredUser } from './types';

/** The session's picture of the user: what `req.user` shows, without a store read per request. */
export async function snapshot(
  accounts: AccountStore,
  user: StoredUser | SocialAuthUser,
  provider: string,
  profile?: SocialProfile,
): Promise<SocialAuthUser> {
  const stored = await accounts.listIdentities(user.id);
  const identities: Identity[] = stored.map((i) => ({
    provider: i.provider,
    subject: i.subject,
    email: i.email,
    linkedAt: i.linkedAt,
    ...(i.needsReauth && { needsReauth: true }),
  }));
  // Only verified emails are stored on the account itself; a profile's email is shown as well,
  // flagged with what its provider said of it.
  // Read again without the profile (the user cache), the email this provider's identity keeps.
  const seen =
    profile ?? stored.find((i) => i.provider === provider && i.email !== undefined) ?? undefined;
  const verified =
    user.email !== undefined
      ? !('emailVerified' in user) || user.emailVerified
      : seen?.email !== undefined && seen.emailVerified;
  return {
    id: user.id,
    name: user.name,
    email: user.email ?? seen?.email,
    emailVerified: verified,
    avatarUrl: user.avatarUrl,
    provider,
    identities,
  };
}
