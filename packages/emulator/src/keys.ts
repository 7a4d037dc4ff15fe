import { constants, createHash, createHmac, createSign, KeyObject } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type JWK,
  type JWTPayload,
} from 'jose';

export interface SigningKey {
  readonly jwks: { keys: JWK[] };
  sign(claims: JWTPayload): Promise<string>;
  /** Signs synchronously with the same key, under a header of the caller's choosing. */
  signRaw(header: Record<string, unknown>, claims: JWTPayload): string;
  /** The key set with a second RS256 key (never used to sign) after the signing key. */
  jwksWithDecoy(): Promise<{ keys: JWK[] }>;
}

/** A fresh RS256 key per emulator: nothing signed by one run verifies against another. */
export async function createSigningKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const jwks = { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] };
  // jose 5 hands Node a KeyObject; a CryptoKey (other runtimes) converts to one.
  const keyObject =
    privateKey instanceof KeyObject
      ? privateKey
      : KeyObject.from(privateKey as Parameters<typeof KeyObject.from>[0]);
  let decoy: Promise<JWK> | undefined;
  return {
    jwks,
    sign: (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(privateKey),
    signRaw(header, claims) {
      const input = `${base64url(header)}.${base64url(claims)}`;
      // RFC 7518 §3.5: PS256 is RSASSA-PSS with SHA-256 and a 32-byte salt.
      const pss = header.alg === 'PS256';
      const signature = createSign('RSA-SHA256')
        .update(input)
        .sign(
          pss
            ? { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
            : keyObject,
        );
      return `${input}.${signature.toString('base64url')}`;
    },
    async jwksWithDecoy() {
      decoy ??= generateKeyPair('RS256').then(async (pair) => {
        const other = await exportJWK(pair.publicKey);
        return { ...other, kid: await calculateJwkThumbprint(other), alg: 'RS256', use: 'sig' };
      });
      return { keys: [...jwks.keys, await decoy] };
    },
  };
}

/**
 * How {@link resignIdToken} spoils an ID token's signature, each a case a client must refuse
 * (or, for `no-kid` with one key, accept):
 * - `none`: `alg: none` and an empty signature (RFC 7519 §6, an unsecured JWT).
 * - `invalid`: RS256 and the emulator's `kid`, with the signature's bytes altered.
 * - `hs256-client-secret`: HS256 keyed with the client secret (OIDC Core §10.1), which a client
 *   that expects RS256 must not take: the secret is no proof of the issuer.
 * - `no-kid`: a valid RS256 signature by the emulator's key, with no `kid` in the header.
 * - `ps256`: a valid signature by the emulator's key and `kid`, but PS256 where the JWKS and the
 *   discovery document say RS256 (the conformance suite's invalid-alternate-alg).
 */
export type IdTokenSignatureFault = 'none' | 'invalid' | 'hs256-client-secret' | 'no-kid' | 'ps256';

export const SIGNATURE_FAULTS: readonly string[] = [
  'none',
  'invalid',
  'hs256-client-secret',
  'no-kid',
  'ps256',
] satisfies IdTokenSignatureFault[];

/** The same claims as `jwt`, signed the way `fault` says. */
export function resignIdToken(
  jwt: string,
  fault: IdTokenSignatureFault,
  key: SigningKey,
  clientSecret: string,
): string {
  const [header = '', payload = ''] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JWTPayload;
  const kid = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid?: string })
    .kid;
  switch (fault) {
    case 'none':
      return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
    case 'invalid': {
      const [h, p, s = ''] = key.signRaw({ alg: 'RS256', kid, typ: 'JWT' }, claims).split('.');
      const bytes = Buffer.from(s, 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 0xff;
      return `${h}.${p}.${bytes.toString('base64url')}`;
    }
    case 'hs256-client-secret': {
      const input = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims)}`;
      const mac = createHmac('sha256', clientSecret).update(input).digest('base64url');
      return `${input}.${mac}`;
    }
    case 'no-kid':
      return key.signRaw({ alg: 'RS256', typ: 'JWT' }, claims);
    case 'ps256':
      return key.signRaw({ alg: 'PS256', kid, typ: 'JWT' }, claims);
  }
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** OIDC Core §3.1.3.6: left half of the SHA-256 of the access token, base64url. */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
}
