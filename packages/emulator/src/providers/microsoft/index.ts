import { Router } from 'express';
import { sendJson } from '../../http';
import type { EmulatorProvider } from '../../provider';
import { ExpiringMap, TokenStore } from '../../state';
import { authorizeHandler } from './authorize';
import { MICROSOFT_PATHS, issuerOf, knownTenant, type MicrosoftContext } from './common';
import { tokenHandler } from './token';
import { microsoftUsers, type MicrosoftUser } from './users';

export { MICROSOFT_PATHS } from './common';
export { CONSUMER_TENANT, CONTOSO, FABRIKAM, type MicrosoftUser } from './users';

/**
 * The tenant's discovery document, in Microsoft's shape: like the real one, it lists no
 * `code_challenge_methods_supported`, though the platform takes PKCE (S256 and plain).
 */
function discovery(origin: string, tenant: string): Record<string, unknown> {
  const base = `${origin}/${tenant}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
    ],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: issuerOf(tenant),
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    userinfo_endpoint: `${origin}${MICROSOFT_PATHS.userinfo}`,
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'nonce',
      'name',
      'preferred_username',
      'oid',
      'tid',
      'ver',
      'email',
    ],
  };
}

/** The emulated Microsoft identity platform (v2.0): tenants, discovery, authorize, token, keys, userinfo. */
export const microsoft = {
  name: 'microsoft',
  paths: MICROSOFT_PATHS,
  defaultClient: Object.freeze({
    clientId: 'emulator-microsoft-client-id',
    clientSecret: 'emulator-microsoft-client-secret',
  }),
  defaultUsers: microsoftUsers,
  userKeyField: 'oid',
  userKey: (user) => user.oid,
  issuesIdTokens: true,
  consentTexts: {
    label: { en: 'Microsoft', ko: 'Microsoft' },
    scopes: {
      ko: {
        openid: '로그인',
        profile: '기본 프로필 보기',
        email: '이메일 주소 보기',
        offline_access: '액세스 권한 유지',
      },
    },
  },
  banner: { label: 'discovery (common)', path: '/common/v2.0/.well-known/openid-configuration' },
  create(shared) {
    const m: MicrosoftContext = {
      ...shared,
      codes: new ExpiringMap(shared.now),
      tokens: new TokenStore(shared.now),
    };
    const router: Router = Router({ caseSensitive: true, strict: true });
    router.get(MICROSOFT_PATHS.discovery, (req, res) => {
      const tenant = String(req.params.tenant);
      if (!knownTenant(tenant)) return sendJson(res, 400, { error: 'invalid_tenant' });
      sendJson(res, 200, discovery(m.origin, tenant));
    });
    router.get(MICROSOFT_PATHS.jwks, (_req, res) => {
      res.json(m.key.jwks);
    });
    router.get(MICROSOFT_PATHS.authorize, authorizeHandler(m));
    router.post(MICROSOFT_PATHS.token, tokenHandler(m));
    router.get(MICROSOFT_PATHS.userinfo, (req, res) => {
      const token = m.tokens.find(
        /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '',
      );
      const user = token?.kind === 'access' && m.users.find((u) => u.oid === token.grant.sub);
      if (!token || !user)
        return sendJson(res, 401, { error: { code: 'InvalidAuthenticationToken' } });
      sendJson(res, 200, { sub: user.oid, name: user.name, email: user.email });
    });
    return { router };
  },
} satisfies EmulatorProvider<'microsoft', MicrosoftUser>;
