import { SocialAuthError } from '../errors';
import { backChannelFetch, secureURLIssues } from '../net/back-channel';
import type { ConfigIssue } from '../contract';

/** The members of an OpenID Provider's discovery document (OIDC Discovery §3) socialauth uses. */
export interface OidcMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  /** Absent: the provider has none, and the verified ID token's claims are the profile. */
  userinfo_endpoint?: string;
  jwks_uri: string;
  revocation_endpoint?: string;
  code_challenge_methods_supported?: string[];
  id_token_signing_alg_values_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  /**
   * RFC 9207 §3: the provider puts `iss` in every authorization response, so a response without
   * it did not come from this provider (§2.4). `true` only when the document says exactly `true`.
   */
  authorization_response_iss_parameter_supported?: boolean;
}

/** Where and how to discover: see {@link oidcDiscovery}. */
export interface DiscoveryOptions {
  /** The configured issuer, compared exactly with the document's `issuer`. */
  issuer: string;
  /** Fetch from this origin instead of the issuer's, and rewrite the endpoints' origins to it. */
  origin?: string;
  /**
   * The document's URL, when it is not `<issuer>/.well-known/openid-configuration`: a
   * multi-tenant provider's tenant-independent document, whose issuer is a template.
   */
  discoveryURL?: string;
  /** How long a document is used before it is fetched again. */
  ttlMs: number;
  /** Time the provider gets to answer. */
  timeoutMs: number;
  /** The clock, for tests. */
  now?: () => number;
}

/** A discovery document, fetched on first use and cached. */
export interface Discovery {
  /** The document: cached, or fetched once for all concurrent callers (single-flight). */
  get(): Promise<OidcMetadata>;
  /** The last document fetched, if any. */
  current(): OidcMetadata | undefined;
}

/** After a failed refresh, a stale document is used this long before the next try. */
const RETRY_MS = 60_000;

/**
 * Problems with an issuer identifier, found without the network: it must be an https URL
 * (http only on a loopback host, for local providers) with no query or fragment (OIDC
 * Discovery §2, RFC 8414 §2).
 *
 * @example
 * ```ts
 * issuerIssues('accounts.google.com'); // [{ field: 'issuer', message: 'issuer must be a URL...' }]
 * ```
 */
export function issuerIssues(issuer: unknown, field = 'issuer'): ConfigIssue[] {
  const example = 'like https://accounts.example.com';
  if (typeof issuer !== 'string' || !URL.canParse(issuer)) {
    return [{ field, message: `${field} must be a URL, ${example}` }];
  }
  // The issuer's origin is where discovery, and so the secret and tokens, go (OIDC Discovery §4).
  const insecure = secureURLIssues(issuer, field, 'https://accounts.example.com');
  if (insecure.length > 0) return insecure;
  const url = new URL(issuer);
  if (url.search !== '' || url.hash !== '' || issuer.includes('?') || issuer.includes('#')) {
    return [{ field, message: `${field} must have no query or fragment, ${example}` }];
  }
  return [];
}

/**
 * A URL from the provider, with its origin replaced by `origin` (path and query kept), for
 * `@socialauth/emulator`.
 */
export function atOrigin(url: string, origin: string | undefined): string {
  if (origin === undefined) return url;
  const parsed = new URL(url);
  return new URL(parsed.pathname + parsed.search, origin).href;
}

/**
 * OpenID Connect Discovery for one issuer: `<issuer>/.well-known/openid-configuration` (OIDC
 * Discovery §4), fetched on first use, cached for `ttlMs`, one request for all concurrent
 * callers. A provider that cannot be read is `provider_error`; a document for another issuer
 * (§4.3) or one lacking what sign-in needs is `config_invalid`. Messages name the field and fix.
 *
 * @example
 * ```ts
 * const discovery = oidcDiscovery({ issuer: 'https://accounts.google.com', ttlMs: 3_600_000, timeoutMs: 10_000 });
 * const { token_endpoint } = await discovery.get();
 * ```
 */
export function oidcDiscovery(options: DiscoveryOptions): Discovery {
  const now = options.now ?? Date.now;
  // §4: the well-known path is appended to the issuer without its trailing slash.
  const base = atOrigin(options.issuer, options.origin).replace(/\/+$/, '');
  const url = options.discoveryURL
    ? atOrigin(options.discoveryURL, options.origin)
    : `${base}/.well-known/openid-configuration`;
  let cached: { doc: OidcMetadata; until: number } | undefined;
  let inflight: Promise<OidcMetadata> | undefined;

  async function load(): Promise<OidcMetadata> {
    try {
      const doc = await fetchDocument(url, options);
      cached = { doc, until: now() + options.ttlMs };
      return doc;
    } catch (err) {
      // A provider down for a moment does not end sign-ins that a known document can serve.
      if (cached && err instanceof SocialAuthError && err.code === 'provider_error') {
        cached = { doc: cached.doc, until: now() + RETRY_MS };
        return cached.doc;
      }
      throw err;
    }
  }

  return {
    get() {
      if (cached && now() < cached.until) return Promise.resolve(cached.doc);
      inflight ??= load().finally(() => (inflight = undefined));
      return inflight;
    },
    current: () => cached?.doc,
  };
}

async function fetchDocument(url: string, options: DiscoveryOptions): Promise<OidcMetadata> {
  const unreadable = (why: string, cause?: unknown) =>
    new SocialAuthError(
      'provider_error',
      `issuer: the discovery document ${url} could not be read (${why}); check that issuer is ` +
        `the provider's issuer URL and that the provider is reachable`,
      { cause },
    );
  let answer: { status: number; text: string };
  try {
    // §4: the document is at this URL, not wherever a redirect points; backChannelFetch refuses
    // redirects (the request carries no secret, but a redirected document is not the issuer's)
    // and reads at most MAX_PROVIDER_RESPONSE_BYTES.
    answer = await backChannelFetch(
      url,
      { headers: { Accept: 'application/json' } },
      'provider_error',
      options.timeoutMs,
    );
  } catch (err) {
    throw unreadable((err as Error).message, (err as Error).cause);
  }
  if (answer.status !== 200) throw unreadable(`HTTP ${answer.status}`);
  let doc: unknown;
  try {
    doc = JSON.parse(answer.text);
  } catch (err) {
    throw unreadable('not JSON', err);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw unreadable('not a JSON object');
  }
  return checkDocument(doc as Record<string, unknown>, options);
}

function checkDocument(doc: Record<string, unknown>, options: DiscoveryOptions): OidcMetadata {
  // OIDC Discovery §4.3: the issuer in the document MUST be identical to the one used to find
  // it; otherwise the document (and the keys it points to) belongs to someone else.
  if (doc.issuer !== options.issuer) {
    throw new SocialAuthError(
      'config_invalid',
      `issuer: the provider's discovery document names issuer ${JSON.stringify(String(doc.issuer).slice(0, 200))}, ` +
        `not the configured ${JSON.stringify(options.issuer)} (OpenID Connect Discovery §4.3); ` +
        'set issuer to exactly the provider’s issuer',
    );
  }
  const missing = (field: string) =>
    new SocialAuthError(
      'config_invalid',
      `issuer: the provider's discovery document has no usable ${field}; ` +
        'socialauth needs the authorization code flow and a JWKS',
    );
  const endpoint = (field: string): string => {
    const value = doc[field];
    if (typeof value !== 'string' || !URL.canParse(value)) throw missing(field);
    // OIDC Discovery §3: endpoints are https URLs (http only on this machine, for local tests).
    if (secureURLIssues(value, field).length > 0) throw missing(field);
    return atOrigin(value, options.origin);
  };
  const list = (field: string): string[] | undefined => {
    const value = doc[field];
    return Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string')
      : undefined;
  };
  const revocation = doc.revocation_endpoint;
  const userinfo = doc.userinfo_endpoint;
  // Optional, but the refresh token and the client secret go there (RFC 7009 §2, §5): https too.
  if (revocation !== undefined && secureURLIssues(revocation, 'revocation_endpoint').length > 0) {
    throw missing('revocation_endpoint');
  }
  return {
    issuer: options.issuer,
    authorization_endpoint: endpoint('authorization_endpoint'),
    token_endpoint: endpoint('token_endpoint'),
    // OIDC Discovery §3: RECOMMENDED, not required; present, it must be usable.
    userinfo_endpoint: userinfo === undefined ? undefined : endpoint('userinfo_endpoint'),
    jwks_uri: endpoint('jwks_uri'),
    revocation_endpoint:
      typeof revocation === 'string' && URL.canParse(revocation)
        ? atOrigin(revocation, options.origin)
        : undefined,
    code_challenge_methods_supported: list('code_challenge_methods_supported'),
    id_token_signing_alg_values_supported: list('id_token_signing_alg_values_supported'),
    token_endpoint_auth_methods_supported: list('token_endpoint_auth_methods_supported'),
    authorization_response_iss_parameter_supported:
      doc.authorization_response_iss_parameter_supported === true,
  };
}
