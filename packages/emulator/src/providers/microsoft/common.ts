import { createHash } from 'node:crypto';
import type { ProviderContext } from '../../provider';
import type { AuthorizationCode, ExpiringMap, TokenStore } from '../../state';
import type { EmulatorEndpoint } from '../../types';
import { CONSUMER_TENANT, type MicrosoftUser } from './users';

/**
 * The Microsoft identity platform's v2.0 paths under `/{tenant}` (learn.microsoft.com,
 * "OAuth 2.0 authorization code flow" and "OpenID Connect on the Microsoft identity platform",
 * checked 2026-12-07), and Graph's userinfo.
 */
export const MICROSOFT_PATHS = {
  discovery: '/:tenant/v2.0/.well-known/openid-configuration',
  authorize: '/:tenant/oauth2/v2.0/authorize',
  token: '/:tenant/oauth2/v2.0/token',
  jwks: '/:tenant/discovery/v2.0/keys',
  userinfo: '/oidc/userinfo',
} as const satisfies Partial<Record<EmulatorEndpoint, string>>;

export const CODE_TTL_MS = 10 * 60 * 1000;
export const TOKEN_SECONDS = 3600;

export interface MicrosoftContext extends ProviderContext<MicrosoftUser> {
  readonly codes: ExpiringMap<AuthorizationCode & { tenant: string }>;
  readonly tokens: TokenStore;
}

/** Which users a tenant segment admits: `common` all, `organizations` work ones, `consumers` personal ones, a GUID its own. */
export function admits(tenant: string, user: MicrosoftUser): boolean {
  if (tenant === 'common') return true;
  if (tenant === 'organizations') return user.tid !== CONSUMER_TENANT;
  if (tenant === 'consumers') return user.tid === CONSUMER_TENANT;
  return user.tid === tenant;
}

/** A tenant segment the platform knows: the three aliases or a GUID. */
export function knownTenant(tenant: string): boolean {
  return (
    ['common', 'organizations', 'consumers'].includes(tenant) ||
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(tenant)
  );
}

/** The issuer a tenant segment's discovery names: the template for the multi-tenant ones. */
export function issuerOf(tenant: string): string {
  const tid = tenant === 'consumers' ? CONSUMER_TENANT : tenant;
  return tenant === 'common' || tenant === 'organizations'
    ? 'https://login.microsoftonline.com/{tenantid}/v2.0'
    : `https://login.microsoftonline.com/${tid}/v2.0`;
}

/** `sub` is "a pairwise identifier ... unique to an application ID". */
export function pairwiseSub(user: MicrosoftUser, clientId: string): string {
  return createHash('sha256').update(`${user.oid}|${clientId}`).digest('base64url').slice(0, 43);
}
