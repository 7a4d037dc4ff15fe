import { Router } from 'express';
import type { ProviderModule } from '../server';
import type { EmulatorEndpoint } from '../types';
import { authorizeHandler } from './naver-authorize';
import { NAVER_PATHS, type NaverContext } from './naver-common';
import { profileHandler } from './naver-profile';
import { revokeHandler, tokenHandler } from './naver-token';

export { naverId } from './naver-common';

export function createNaverProvider(n: NaverContext): ProviderModule {
  const router = Router({ caseSensitive: true, strict: true });
  const authorize = authorizeHandler(n);
  const token = tokenHandler(n);
  router.get(NAVER_PATHS.authorize, authorize);
  router.post(NAVER_PATHS.authorize, authorize);
  router.get(NAVER_PATHS.token, token);
  router.post(NAVER_PATHS.token, token);
  router.post(NAVER_PATHS.revoke, revokeHandler(n));
  router.get(NAVER_PATHS.userinfo, profileHandler(n));
  const paths = new Map<string, EmulatorEndpoint>(
    Object.entries(NAVER_PATHS).map(([endpoint, path]) => [path, endpoint as EmulatorEndpoint]),
  );
  return { name: 'naver', paths, router };
}
