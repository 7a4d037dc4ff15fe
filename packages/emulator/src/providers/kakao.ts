import { Router } from 'express';
import type { ProviderModule } from '../server';
import type { EmulatorEndpoint } from '../types';
import { authorizeHandler } from './kakao-authorize';
import { KAKAO_PATHS, type KakaoContext } from './kakao-common';
import { tokenHandler } from './kakao-token';
import { logoutHandler, tokenInfoHandler, unlinkHandler, userHandler } from './kakao-user';

export function createKakaoProvider(k: KakaoContext): ProviderModule {
  const router = Router({ caseSensitive: true, strict: true });
  const user = userHandler(k);
  router.get(KAKAO_PATHS.authorize, authorizeHandler(k));
  router.post(KAKAO_PATHS.token, tokenHandler(k));
  router.get(KAKAO_PATHS.userinfo, user);
  router.post(KAKAO_PATHS.userinfo, user);
  router.post(KAKAO_PATHS.revoke, unlinkHandler(k));
  router.post(KAKAO_PATHS.logout, logoutHandler(k));
  router.get(KAKAO_PATHS.tokeninfo, tokenInfoHandler(k));
  // The ID token's keys (kauth.kakao.com/.well-known/jwks.json); the emulator has one key.
  router.get(KAKAO_PATHS.jwks, (_req, res) => {
    res.json(k.key.jwks);
  });
  const paths = new Map<string, EmulatorEndpoint>(
    Object.entries(KAKAO_PATHS).map(([endpoint, path]) => [path, endpoint as EmulatorEndpoint]),
  );
  return { name: 'kakao', paths, router };
}
