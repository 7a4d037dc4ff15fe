import { Router } from 'express';
import type { EmulatorProvider } from '../../provider';
import { ExpiringMap, TokenStore } from '../../state';
import { apiHandler, revokeHandler } from './api';
import { authorizeHandler } from './authorize';
import { GITHUB_PATHS, type GitHubContext } from './common';
import { tokenHandler } from './token';
import { githubUsers, type GitHubUser } from './users';

export { GITHUB_PATHS } from './common';
export type { GitHubEmail, GitHubUser } from './users';

/** The emulated GitHub: OAuth app authorization, tokens (expiring ones too), /user, /user/emails, revoke. */
export const github = {
  name: 'github',
  paths: {
    authorize: GITHUB_PATHS.authorize,
    token: GITHUB_PATHS.token,
    userinfo: GITHUB_PATHS.userinfo,
    revoke: GITHUB_PATHS.revoke,
  },
  defaultClient: Object.freeze({
    clientId: 'emulator-github-client-id',
    clientSecret: 'emulator-github-client-secret',
  }),
  defaultUsers: githubUsers,
  userKeyField: 'id',
  userKey: (user) => String(user.id),
  checkUser(user) {
    if (!Number.isSafeInteger(user.id) || user.id <= 0)
      throw new TypeError('user.id must be a positive integer');
  },
  issuesIdTokens: false,
  consentTexts: {
    label: { en: 'GitHub', ko: 'GitHub' },
    scopes: {
      ko: {
        'read:user': '프로필 정보 읽기',
        'user:email': '이메일 주소 읽기',
        offline_access: '로그인 유지 (만료되는 토큰과 갱신 토큰)',
      },
    },
  },
  banner: { label: 'authorize', path: GITHUB_PATHS.authorize },
  create(shared) {
    const g: GitHubContext = {
      ...shared,
      codes: new ExpiringMap(shared.now),
      tokens: new TokenStore(shared.now),
    };
    const router: Router = Router({ caseSensitive: true, strict: true });
    router.get(GITHUB_PATHS.authorize, authorizeHandler(g));
    router.post(GITHUB_PATHS.token, tokenHandler(g));
    router.get(GITHUB_PATHS.userinfo, apiHandler(g, 'user'));
    router.get(GITHUB_PATHS.emails, apiHandler(g, 'emails'));
    router.delete(GITHUB_PATHS.revoke, revokeHandler(g));
    return { router };
  },
} satisfies EmulatorProvider<'github', GitHubUser>;
