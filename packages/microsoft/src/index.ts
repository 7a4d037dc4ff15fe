/**
 * Microsoft sign-in (Microsoft Entra ID and personal Microsoft accounts) for `@socialauth/core`.
 *
 * @example
 * ```ts
 * import { microsoft } from '@socialauth/microsoft';
 * app.use(socialAuth({ ..., providers: [microsoft({ tenant: 'organizations' })] })); // MICROSOFT_CLIENT_ID / _SECRET
 * ```
 * @packageDocumentation
 */
import {
  SocialAuthError,
  oidc,
  type OidcPlugin,
  type ProviderOptionsBase,
  type SocialProfile,
} from '@socialauth/core/provider';

const HOST = 'https://login.microsoftonline.com';
/** Personal Microsoft accounts' tenant id ("ID token claims reference", checked 2026-12-07). */
export const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Options for {@link microsoft}. */
export interface MicrosoftOptions extends ProviderOptionsBase {
  /**
   * Who may sign in: `common` (any work, school or personal account; the default),
   * `organizations` (work and school), `consumers` (personal), or one tenant's id (a GUID).
   */
  tenant?: string;
  /** With `common` or `organizations`: only these tenants (`tid` GUIDs). */
  tenants?: readonly string[];
  /** Default `['openid', 'profile', 'email', 'offline_access']`; `profile` carries the `oid`. */
  scopes?: string[];
}

/**
 * The identity: Microsoft's advice for multi-tenant apps is to "index on a mapping of two
 * uniquely identifying claims, `tid` + `oid`" (`sub` is pairwise: another client id of yours
 * would see another `sub`). So the subject is `<tid>:<oid>`, which survives a new app
 * registration. The email counts as verified only with `xms_edov` (nOAuth: `email` is mutable
 * and unverified).
 */
function toMicrosoft(
  profile: SocialProfile,
  claims: Readonly<Record<string, unknown>>,
): SocialProfile {
  const { tid, oid } = claims;
  if (typeof tid !== 'string' || typeof oid !== 'string' || oid === '') {
    throw new SocialAuthError(
      'profile_fetch_failed',
      'Microsoft sent an ID token without oid and tid: ask for the profile scope',
    );
  }
  return { ...profile, provider: 'microsoft', id: `${tid}:${oid}` };
}

/**
 * The Microsoft provider, over `oidc()`: discovery of the tenant's v2.0 document, the
 * `{tenantid}` issuer template of `common` and `organizations` (each ID token's `iss` must name
 * its own `tid`), the profile from the ID token (Microsoft's userinfo is a Graph API), answers by
 * form POST as Microsoft recommends for web apps, PKCE S256. Microsoft has no revocation
 * endpoint: disconnecting unlinks only.
 *
 * @example
 * ```ts
 * microsoft({ tenant: 'organizations', tenants: ['72f988bf-86f1-41af-91ab-2d7cd011db47'] });
 * microsoft({ ...DEFAULT_CLIENTS.microsoft, origin: emulator.origin });
 * ```
 */
export function microsoft(options: MicrosoftOptions = {}): OidcPlugin {
  const tenant = (options.tenant ?? 'common').toLowerCase();
  const multi = tenant === 'common' || tenant === 'organizations';
  const tid = tenant === 'consumers' ? CONSUMERS_TENANT_ID : tenant;
  // `organizations` is work and school accounts only: the personal accounts' tenant is not one.
  const allowed = options.tenants?.map((t) => t.toLowerCase());
  const tenants =
    tenant === 'organizations' ? (allowed ?? []).filter((t) => t !== CONSUMERS_TENANT_ID) : allowed;
  const orgOnly = tenant === 'organizations' && !allowed;
  const plugin = oidc({
    ...options,
    id: 'microsoft',
    name: 'Microsoft',
    issuer: multi ? `${HOST}/{tenantid}/v2.0` : `${HOST}/${tid}/v2.0`,
    discoveryURL: `${HOST}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`,
    scopes: options.scopes ?? ['openid', 'profile', 'email', 'offline_access'],
    claims: { emailVerified: 'xms_edov' },
    ...(tenants && !orgOnly && { tenants }),
    userinfo: false,
    revocation: false,
    responseMode: 'form_post',
    // Microsoft documents PKCE (S256 and plain) but its discovery lists no methods.
    pkce: true,
    mapProfile: (profile, claims) => {
      if (orgOnly && claims.tid === CONSUMERS_TENANT_ID) {
        throw new SocialAuthError('access_denied', 'Personal Microsoft accounts are not accepted');
      }
      return toMicrosoft(profile, claims);
    },
  });
  const validate = plugin.validate.bind(plugin);
  plugin.validate = () => {
    const issues = validate();
    if (options.tenants && !multi) {
      issues.push({
        field: 'tenants',
        message: 'tenants narrows common or organizations; with one tenant, leave it out',
      });
    }
    for (const t of options.tenants ?? []) {
      if (!GUID.test(t.toLowerCase())) {
        issues.push({
          field: 'tenants',
          message: `tenants holds ${JSON.stringify(t).slice(0, 60)}, not a tenant id (a GUID)`,
        });
      }
    }
    if (!multi && tenant !== 'consumers' && !GUID.test(tenant)) {
      issues.push({
        field: 'tenant',
        message:
          'tenant must be common, organizations, consumers or a tenant id (a GUID: Microsoft Entra admin center > Overview > Tenant ID)',
      });
    }
    return issues;
  };
  return plugin;
}
