import { Router } from 'express';
import type { EmulatorProvider } from '../../provider';
import { ExpiringMap, TokenStore } from '../../state';
import { authorizeHandler } from './authorize';
import {
  EMAIL_SCOPE,
  GOOGLE_ISSUER,
  GOOGLE_PATHS,
  PROFILE_SCOPE,
  findUser,
  type GoogleContext,
} from './common';
import { appIdToken } from './id-token';
import { revokeHandler, userinfoHandler } from './resources';
import { tokenHandler } from './token';
import { googleUsers, type GoogleUser } from './users';

export { GOOGLE_PATHS } from './common';
export type { GoogleUser } from './users';

/**
 * Google's discovery document, trimmed to what the emulator implements: Google's issuer, the
 * endpoints on the emulator's origin. Like Google's, it has no
 * `authorization_response_iss_parameter_supported` (RFC 9207 §3), though the authorization
 * response carries `iss`; a test that needs the flag sets it with a `rewrite-json` fault.
 */
function discovery(origin: string): Record<string, unknown> {
  return {
    issuer: GOOGLE_ISSUER,
    authorization_endpoint: origin + GOOGLE_PATHS.authorize,
    token_endpoint: origin + GOOGLE_PATHS.token,
    userinfo_endpoint: origin + GOOGLE_PATHS.userinfo,
    revocation_endpoint: origin + GOOGLE_PATHS.revoke,
    jwks_uri: origin + GOOGLE_PATHS.jwks,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', 'email', 'profile'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    claims_supported: [
      'aud',
      'email',
      'email_verified',
      'exp',
      'family_name',
      'given_name',
      'hd',
      'iat',
      'iss',
      'locale',
      'name',
      'nonce',
      'picture',
      'sub',
    ],
    code_challenge_methods_supported: ['plain', 'S256'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
  };
}

function createRouter(g: GoogleContext): Router {
  const router = Router({ caseSensitive: true, strict: true });
  const doc = discovery(g.origin);
  router.get(GOOGLE_PATHS.discovery, (_req, res) => {
    res.json(doc);
  });
  router.get(GOOGLE_PATHS.jwks, (_req, res) => {
    res.json(g.key.jwks);
  });
  router.get(GOOGLE_PATHS.authorize, authorizeHandler(g));
  router.post(GOOGLE_PATHS.token, tokenHandler(g));
  router.get(GOOGLE_PATHS.userinfo, userinfoHandler(g));
  router.post(GOOGLE_PATHS.userinfo, userinfoHandler(g));
  router.post(GOOGLE_PATHS.revoke, revokeHandler(g));
  return router;
}

/** The emulated Google: OpenID Connect discovery, authorization, token, userinfo, JWKS, revoke. */
export const google = {
  name: 'google',
  paths: GOOGLE_PATHS,
  defaultClient: Object.freeze({
    clientId: 'emulator-google-client-id',
    clientSecret: 'emulator-google-client-secret',
  }),
  defaultUsers: googleUsers,
  userKeyField: 'sub',
  userKey: (user) => user.sub,
  issuesIdTokens: true,
  consentTexts: {
    label: { en: 'Google', ko: 'Google' },
    scopes: {
      ko: {
        openid: 'ID 토큰으로 내 계정 확인',
        [EMAIL_SCOPE]: '기본 Google 계정 이메일 주소 보기',
        [PROFILE_SCOPE]: '공개로 설정한 정보를 포함한 개인 정보 보기',
      },
    },
  },
  banner: { label: 'discovery', path: GOOGLE_PATHS.discovery },
  create(shared) {
    const g: GoogleContext = {
      ...shared,
      issuer: GOOGLE_ISSUER,
      offlineConsents: new Set(),
      codes: new ExpiringMap(shared.now),
      tokens: new TokenStore(shared.now),
    };
    return {
      router: createRouter(g),
      appIdToken({ user, clientId, nonce, claims }) {
        const account = findUser(g, user);
        if (!account) throw new TypeError(`No google user ${user}`);
        return appIdToken(g, account, clientId, { nonce, claims });
      },
    };
  },
} satisfies EmulatorProvider<'google', GoogleUser>;
