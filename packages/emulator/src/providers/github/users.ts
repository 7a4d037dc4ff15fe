import { avatar } from '../../avatar';

/** One address of a GitHub account, as `GET /user/emails` lists it. */
export interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
  visibility: 'public' | 'private' | null;
}

/**
 * A GitHub test account: what `GET /user` shows (a numeric `id`, `login`) and its addresses.
 *
 * @example
 * ```ts
 * const ada: GitHubUser = { id: 42, login: 'ada', name: 'Ada', emails: [{ email: 'ada@example.com', primary: true, verified: true, visibility: 'private' }] };
 * ```
 */
export interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
  avatar_url?: string;
  emails: GitHubEmail[];
}

/** GitHub's default test accounts. */
export const githubUsers: readonly GitHubUser[] = (
  [
    {
      id: 583231,
      login: 'octocat',
      name: 'The Octocat',
      avatar_url: avatar('OC', '#24292f'),
      emails: [
        { email: 'octocat@github.com', primary: true, verified: true, visibility: 'public' },
        { email: 'octo@example.org', primary: false, verified: false, visibility: 'private' },
      ],
    },
    {
      // The primary address is not verified: no verified primary email to sign in with.
      id: 9919,
      login: 'minji-dev',
      name: '김민지',
      emails: [
        { email: 'minji@example.kr', primary: true, verified: false, visibility: 'private' },
        { email: 'minji.kim@example.com', primary: false, verified: true, visibility: null },
      ],
    },
  ] satisfies GitHubUser[]
).map((user) => Object.freeze(user));

/** The public email `GET /user` shows: the primary one when it is public, else null. */
export function publicEmail(user: GitHubUser): string | null {
  return user.emails.find((e) => e.primary && e.visibility === 'public')?.email ?? null;
}
