import { Router } from 'express';
import type { EmulatorProvider } from '../../provider';
import { ExpiringMap, TokenStore, type Grant } from '../../state';
import { authorizeHandler } from './authorize';
import {
  KAKAO_PATHS,
  REVOKE_SCOPES_PATH,
  SHIPPING_ADDRESS_PATH,
  agree,
  type KakaoContext,
} from './common';
import { idToken, issueAccess, tokenHandler } from './token';
import { kakaoUnlink, type KakaoReferrerType } from './unlink';
import {
  logoutHandler,
  revokeScopesHandler,
  shippingAddressHandler,
  tokenInfoHandler,
  unlinkHandler,
  userHandler,
} from './user';
import { kakaoUsers, type KakaoUser } from './users';

export type { KakaoReferrerType } from './unlink';
export type { KakaoUser } from './users';

// Kakao's id is a signed 64-bit integer ("회원번호", Long in the Kakao SDKs).
const INT64_MAX = 2n ** 63n - 1n;

function createRouter(k: KakaoContext): Router {
  const router = Router({ caseSensitive: true, strict: true });
  const user = userHandler(k);
  router.get(KAKAO_PATHS.authorize, authorizeHandler(k));
  router.post(KAKAO_PATHS.token, tokenHandler(k));
  router.get(KAKAO_PATHS.userinfo, user);
  router.post(KAKAO_PATHS.userinfo, user);
  router.post(KAKAO_PATHS.revoke, unlinkHandler(k));
  router.post(KAKAO_PATHS.logout, logoutHandler(k));
  router.get(KAKAO_PATHS.tokeninfo, tokenInfoHandler(k));
  router.get(SHIPPING_ADDRESS_PATH, shippingAddressHandler(k));
  router.post(REVOKE_SCOPES_PATH, revokeScopesHandler(k));
  // The ID token's keys (kauth.kakao.com/.well-known/jwks.json); the emulator has one key.
  router.get(KAKAO_PATHS.jwks, (_req, res) => {
    res.json(k.key.jwks);
  });
  return router;
}

/** The emulated Kakao Login: authorize, token, user API, ID tokens, SDK tokens, unlink webhook. */
export const kakao = {
  name: 'kakao',
  paths: KAKAO_PATHS,
  defaultClient: Object.freeze({
    // Kakao calls the client id the "REST API key".
    clientId: 'emulator-kakao-client-id',
    clientSecret: 'emulator-kakao-client-secret',
    // The primary admin key (대표 어드민 키) and app ID its unlink webhook carries.
    adminKey: 'emulator-kakao-admin-key',
    appId: '1000001',
  }),
  defaultUsers: kakaoUsers,
  userKeyField: 'id',
  userKey: (user) => user.id,
  checkUser(user) {
    if (!/^[1-9][0-9]{0,18}$/.test(user.id) || BigInt(user.id) > INT64_MAX) {
      throw new TypeError('user.id must be the decimal digits of a positive 64-bit integer');
    }
  },
  issuesIdTokens: true,
  consentTexts: {
    label: { en: 'Kakao', ko: '카카오' },
    itemLabels: { ko: { email: '카카오계정(이메일)' } },
  },
  banner: { label: 'authorize', path: KAKAO_PATHS.authorize },
  create(shared) {
    const k: KakaoContext = {
      ...shared,
      codes: new ExpiringMap(shared.now),
      tokens: new TokenStore(shared.now),
      linkedAt: new Map(),
      authTimes: new WeakMap(),
      agreed: new Map(),
      inApp: { user: undefined },
    };
    return {
      router: createRouter(k),
      async appIdToken({ user, clientId, nonce, claims }) {
        const account = k.users.find((u) => u.id === user);
        if (!account) throw new TypeError(`No kakao user ${user}`);
        const scopes = ['openid', 'profile_nickname', 'profile_image', 'account_email'];
        const grant: Grant = { provider: 'kakao', clientId, sub: user, scopes, revoked: false };
        if (claims) k.idTokenOverrides.push('kakao', claims);
        const token = await idToken(k, grant, account, nonce);
        if (!token) throw new TypeError('the claims override removed the ID token');
        return token;
      },
      inAppAccount(user) {
        if (user !== undefined && !k.users.some((u) => u.id === user)) {
          throw new TypeError(`No kakao user ${user}`);
        }
        k.inApp.user = user;
      },
      appAccessToken({ user, clientId, scopes }) {
        if (!k.users.some((u) => u.id === user)) throw new TypeError(`No kakao user ${user}`);
        if (!k.clients.find('kakao', clientId)) throw new TypeError(`No kakao client ${clientId}`);
        // The Kakao SDK's login: the user consents in KakaoTalk, the app holds the tokens.
        const grant: Grant = {
          provider: 'kakao',
          clientId,
          sub: user,
          scopes: scopes ?? ['profile_nickname', 'profile_image'],
          revoked: false,
        };
        if (!k.linkedAt.has(`${clientId}:${user}`)) k.linkedAt.set(`${clientId}:${user}`, k.now());
        agree(k, clientId, user, grant.scopes);
        return issueAccess(k, grant);
      },
      unlink(client, user, subject, { referrerType = 'UNLINK_FROM_APPS' }) {
        const notification = kakaoUnlink(client, subject, referrerType as KakaoReferrerType);
        // The provider has unlinked before it notifies: the grants are gone already.
        k.tokens.revokeGrants((grant) => grant.clientId === client.clientId && grant.sub === user);
        k.linkedAt.delete(`${client.clientId}:${user}`);
        k.agreed.delete(`${client.clientId}:${user}`);
        return notification;
      },
    };
  },
} satisfies EmulatorProvider<'kakao', KakaoUser>;
