// The OpenID Foundation's relying-party conformance modules (oidcc-client-test-*, as run in
// openid-client's CI: conformance/modules/*.ts), played by the emulator's faults. Each row says
// what a relying party must do with the case: accept it, or refuse it with which code.
import type { Emulator, IdTokenSignatureFault } from '@socialauth/emulator';

/** `accepted`, or the `SocialAuthError` code the sign-in is refused with. */
export type Outcome = 'accepted' | string;

const now = () => Math.floor(Date.now() / 1000);
export const HOUR = 3600;
export const DAY = 24 * HOUR;

/** One module as it applies to an ID token (any path that verifies one). */
export interface IdTokenCase {
  module: string;
  /** Claims laid over the emulator's (undefined removes one); a function reads the client id. */
  claims?: (clientId: string) => Record<string, unknown>;
  signature?: IdTokenSignatureFault;
  /** The JWKS carries a second key (kid-absent-multiple-jwks). */
  decoyKey?: boolean;
}

/**
 * The ID token modules, for every path that checks an ID token. `expect` holds what OIDC Core
 * §3.1.3.7 (and the suite) asks; `audience` is the code for a token for another app on the
 * app paths (token_audience_mismatch), which the browser flows answer id_token_invalid.
 */
export const ID_TOKEN_CASES: readonly (IdTokenCase & {
  expect: Outcome | 'audience' | Record<'browser' | 'app', Outcome>;
})[] = [
  { module: 'happy-path', expect: 'accepted' },
  {
    module: 'invalid-iss',
    claims: () => ({ iss: 'https://evil.example' }),
    expect: 'id_token_invalid',
  },
  { module: 'invalid-missing-iss', claims: () => ({ iss: undefined }), expect: 'id_token_invalid' },
  {
    module: 'invalid-aud',
    claims: () => ({ aud: 'another-client', azp: undefined }),
    expect: 'audience',
  },
  {
    module: 'invalid-secondary-aud',
    claims: (id) => ({ aud: [id, 'untrusted-client'], azp: undefined }),
    expect: 'audience',
  },
  { module: 'valid-aud-as-array', claims: (id) => ({ aud: [id] }), expect: 'accepted' },
  // OIDC Core §3.1.3.8: at_hash is OPTIONAL in the code flow.
  { module: 'missing-athash', claims: () => ({ at_hash: undefined }), expect: 'accepted' },
  { module: 'missing-aud', claims: () => ({ aud: undefined }), expect: 'id_token_invalid' },
  { module: 'missing-iat', claims: () => ({ iat: undefined }), expect: 'id_token_invalid' },
  {
    module: 'invalid-nonce',
    claims: () => ({ nonce: 'another-nonce' }),
    expect: 'id_token_invalid',
  },
  {
    module: 'invalid-missing-nonce',
    claims: () => ({ nonce: undefined }),
    expect: 'id_token_invalid',
  },
  { module: 'missing-sub', claims: () => ({ sub: undefined }), expect: 'id_token_invalid' },
  { module: 'invalid-missing-exp', claims: () => ({ exp: undefined }), expect: 'id_token_invalid' },
  {
    module: 'invalid-expired-exp',
    claims: () => ({ iat: now() - 2 * HOUR, exp: now() - HOUR }),
    expect: 'id_token_invalid',
  },
  {
    module: 'iat-is-week-in-past',
    claims: () => ({ iat: now() - 7 * DAY }),
    expect: 'id_token_invalid',
  },
  {
    module: '(issue 17) iat 24 h in the future',
    claims: () => ({ iat: now() + DAY, exp: now() + DAY + HOUR }),
    expect: 'id_token_invalid',
  },
  {
    module: '(issue 17) iat 2 min in the future: within the clock skew',
    claims: () => ({ iat: now() + 120 }),
    expect: 'accepted',
  },
  {
    module: '(issue 17) iat 10 min in the future: beyond the clock skew',
    claims: () => ({ iat: now() + 600 }),
    expect: 'id_token_invalid',
  },
  {
    // A browser sign-in's token was minted a moment ago; an app may hold its SDK's for hours.
    module: '(issue 17) iat 23 h in the past, exp ahead',
    claims: () => ({ iat: now() - 23 * HOUR, exp: now() + HOUR }),
    expect: { browser: 'id_token_invalid', app: 'accepted' },
  },
  { module: 'invalid-null-alg (alg: none)', signature: 'none', expect: 'id_token_invalid' },
  { module: 'invalid-sig-rs256', signature: 'invalid', expect: 'id_token_invalid' },
  {
    module: 'invalid-sig-hs256 (keyed with the client secret)',
    signature: 'hs256-client-secret',
    expect: 'id_token_invalid',
  },
  {
    module: 'invalid-alternate-alg (PS256, RS256 advertised)',
    signature: 'ps256',
    expect: 'id_token_invalid',
  },
  { module: 'kid-absent-single-jwks', signature: 'no-kid', expect: 'accepted' },
  {
    module: 'kid-absent-multiple-jwks',
    signature: 'no-kid',
    decoyKey: true,
    expect: 'id_token_invalid',
  },
];

/** What a row expects on a browser or an app path. */
export function expected(c: (typeof ID_TOKEN_CASES)[number], path: 'browser' | 'app'): Outcome {
  if (typeof c.expect === 'object') return c.expect[path];
  if (c.expect !== 'audience') return c.expect;
  return path === 'app' ? 'token_audience_mismatch' : 'id_token_invalid';
}

/** The claims override the emulator takes for a case. */
export function overrideOf(c: IdTokenCase, clientId: string): Record<string, unknown> | undefined {
  return c.claims?.(clientId);
}

/** Queues the case's ID token faults for the next token response (browser flows). */
export function queueIdTokenFaults(
  emulator: Emulator,
  provider: 'google' | 'kakao',
  c: IdTokenCase,
  clientId: string,
): void {
  const override = overrideOf(c, clientId);
  if (override) emulator.nextIdTokenClaims(provider, override);
  if (c.signature)
    emulator.failNext(provider, 'token', { kind: 'id-token-signature', signature: c.signature });
  if (c.decoyKey) emulator.failNext(provider, 'jwks', { kind: 'jwks-decoy-key' });
}
