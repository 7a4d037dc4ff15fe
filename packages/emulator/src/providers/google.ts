import { Router } from 'express';
import type { ProviderModule } from '../server';
import type { EmulatorEndpoint } from '../types';
import { authorizeHandler } from './google-authorize';
import { GOOGLE_ISSUER, GOOGLE_PATHS, type GoogleContext } from './google-common';
import { revokeHandler, userinfoHandler } from './google-resources';
import { tokenHandler } from './google-token';

export { GOOGLE_PATHS } from './google-common';

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

export function createGoogleProvider(g: GoogleContext): ProviderModule {
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
  const paths = new Map<string, EmulatorEndpoint>(
    Object.entries(GOOGLE_PATHS).map(([endpoint, path]) => [path, endpoint as EmulatorEndpoint]),
  );
  return { name: 'google', paths, router };
}
