import { SocialAuthError, type SocialProfile } from '@socialauth/core/provider';

/** `GET /user`, the fields this package reads (docs.github.com REST "Users", checked 2026-12-07). */
export interface GitHubUser {
  /** A number in GitHub's JSON; a string in the shared profile. */
  id: number;
  login: string;
  name?: string | null;
  avatar_url?: string | null;
  /** The public email, or null when the user hides it. */
  email?: string | null;
}

/** One entry of `GET /user/emails`. */
export interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
  visibility?: string | null;
}

/** What `loadProfile` gathers: the user and, with `user:email`, the addresses. */
export interface GitHubProfile {
  user: GitHubUser;
  emails?: GitHubEmail[];
}

/**
 * Maps GitHub's `/user` and `/user/emails` to the shared profile. The email is the primary
 * address, and only when GitHub verified it: another verified address, or a public one from
 * `/user`, is not the account's own by GitHub's word.
 *
 * @example
 * ```ts
 * toProfile({ user: { id: 1, login: 'octocat' }, emails: [{ email: 'o@github.com', primary: true, verified: true }] });
 * // { provider: 'github', id: '1', nickname: 'octocat', email: 'o@github.com', emailVerified: true, ... }
 * ```
 */
export function toProfile(raw: unknown): SocialProfile {
  const { user, emails } = (raw ?? {}) as Partial<GitHubProfile>;
  if (!user || !Number.isSafeInteger(user.id) || typeof user.login !== 'string') {
    throw new SocialAuthError('profile_fetch_failed', 'GitHub returned a user without id or login');
  }
  const list = Array.isArray(emails) ? emails : [];
  const primary = list.find((e) => e && e.primary === true && typeof e.email === 'string');
  const verified = primary?.verified === true;
  return {
    provider: 'github',
    id: String(user.id),
    email: verified ? primary.email : undefined,
    emailVerified: verified,
    name: typeof user.name === 'string' ? user.name : undefined,
    nickname: user.login,
    avatarUrl: typeof user.avatar_url === 'string' ? user.avatar_url : undefined,
    raw: { user, emails: list },
  };
}
