import { Router } from 'express';
import type { EmulatorProvider } from '../../provider';
import { ExpiringMap, TokenStore, type Grant } from '../../state';
import { authorizeHandler } from './authorize';
import { NAVER_ITEMS, NAVER_PATHS, naverId, type NaverContext } from './common';
import { profileHandler } from './profile';
import { issueGrant, revokeHandler, tokenHandler } from './token';
import { naverUnlink } from './unlink';
import { naverUsers, type NaverUser } from './users';

export { naverId } from './common';
export type { NaverUser } from './users';

const GENDERS: readonly string[] = ['F', 'M', 'U'];

function createRouter(n: NaverContext): Router {
  const router = Router({ caseSensitive: true, strict: true });
  const authorize = authorizeHandler(n);
  const token = tokenHandler(n);
  router.get(NAVER_PATHS.authorize, authorize);
  router.post(NAVER_PATHS.authorize, authorize);
  router.get(NAVER_PATHS.token, token);
  router.post(NAVER_PATHS.token, token);
  router.post(NAVER_PATHS.revoke, revokeHandler(n));
  router.get(NAVER_PATHS.userinfo, profileHandler(n));
  return router;
}

/** The emulated Naver Login: authorize, token (with refresh and delete), profile, unlink notice. */
export const naver = {
  name: 'naver',
  paths: NAVER_PATHS,
  defaultClient: Object.freeze({
    clientId: 'emulator-naver-client-id',
    clientSecret: 'emulator-naver-client-secret',
  }),
  defaultUsers: naverUsers,
  userKeyField: 'key',
  userKey: (user) => user.key,
  checkUser(user) {
    if (user.gender !== undefined && !GENDERS.includes(user.gender)) {
      throw new TypeError("user.gender must be 'F', 'M' or 'U'");
    }
  },
  subject: (userKey, clientId) => naverId(clientId, userKey),
  issuesIdTokens: false,
  consentTexts: { label: { en: 'Naver', ko: '네이버' } },
  banner: { label: 'authorize', path: NAVER_PATHS.authorize },
  create(shared) {
    const n: NaverContext = {
      ...shared,
      codes: new ExpiringMap(shared.now),
      tokens: new TokenStore(shared.now),
      linked: new Map(),
      inApp: { user: undefined },
    };
    return {
      router: createRouter(n),
      inAppAccount(user) {
        if (user !== undefined && !n.users.some((u) => u.key === user)) {
          throw new TypeError(`No naver user ${user}`);
        }
        n.inApp.user = user;
      },
      appTokens({ user, clientId, items }) {
        if (!n.users.some((u) => u.key === user)) throw new TypeError(`No naver user ${user}`);
        if (!n.clients.find('naver', clientId)) throw new TypeError(`No naver client ${clientId}`);
        // The Naver login SDK's login: the user agrees in the Naver app, the app holds the tokens.
        const scopes = items ?? NAVER_ITEMS.map(({ item }) => item);
        const grant: Grant = { provider: 'naver', clientId, sub: user, scopes, revoked: false };
        return issueGrant(n.tokens, grant);
      },
      unlink(client, user, subject) {
        const notification = naverUnlink(client, subject, n.now());
        // The provider has unlinked before it notifies: the grants are gone already.
        n.tokens.revokeGrants((grant) => grant.clientId === client.clientId && grant.sub === user);
        return notification;
      },
    };
  },
} satisfies EmulatorProvider<'naver', NaverUser>;
