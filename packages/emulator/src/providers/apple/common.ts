import { createPublicKey, verify } from 'node:crypto';
import type { Response } from 'express';
import { sendJson } from '../../http';
import type { ProviderContext } from '../../provider';
import type { AuthorizationCode, ExpiringMap, TokenStore } from '../../state';
import type { EmulatorClient, EmulatorEndpoint } from '../../types';
import type { AppleUser } from './users';

/** Apple's real paths (developer.apple.com, Sign in with Apple REST API, checked 2026-12-07). */
export const APPLE_PATHS = {
  authorize: '/auth/authorize',
  token: '/auth/token',
  revoke: '/auth/revoke',
  jwks: '/auth/keys',
} as const satisfies Partial<Record<EmulatorEndpoint, string>>;

/** The `iss` of Apple's ID tokens and notifications, and the `aud` of a client secret. */
export const APPLE_ISSUER = 'https://appleid.apple.com';

/** "It's an error to request an expiration time more than 15777000 seconds (six months)". */
export const MAX_SECRET_SECONDS = 15_777_000;
/** Apple's codes are "single-use… valid for five minutes". */
export const CODE_TTL_MS = 5 * 60 * 1000;
export const ACCESS_TOKEN_SECONDS = 3600;
export const ID_TOKEN_SECONDS = 600;

// Shapes of Apple's tokens: codes and refresh tokens `c…` / `r…` with dots, access `a…`.
export const TOKEN_PREFIX = { code: 'c.emulator.', access: 'a.emulator.', refresh: 'r.emulator.' };

/** A code, with what Apple's native codes lack: no redirect_uri when none was sent. */
export type AppleCode = AuthorizationCode;

/** A running emulated Apple. */
export interface AppleContext extends ProviderContext<AppleUser> {
  readonly codes: ExpiringMap<AppleCode>;
  readonly tokens: TokenStore;
  /** `<clientId> <sub>` pairs that authorized once: the `user` field comes the first time only. */
  readonly authorized: Set<string>;
}

export function findUser(a: AppleContext, sub: string): AppleUser | undefined {
  return a.users.find((user) => user.sub === sub);
}

/** Apple's error body: `{ "error": ... }` with HTTP 400 ("ErrorResponse"). */
export function sendAppleError(res: Response, error: string): void {
  sendJson(res, 400, { error });
}

/**
 * The client a `client_id` names: a Services ID registered as a client, or a bundle id among a
 * client's `appClientIds` (its native codes and tokens), with the key that signs for both.
 */
export function clientFor(a: AppleContext, clientId: string): Readonly<EmulatorClient> | undefined {
  const direct = a.clients.find('apple', clientId);
  if (direct) return direct;
  return a.clients.list('apple').find((client) => client.appClientIds?.includes(clientId));
}

const decode = (part: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Checks a client secret as Apple defines it ("Creating a client secret"): an ES256 JWT whose
 * `kid` is the client's key id, signed by that key; `iss` the team id, `sub` the `client_id` of
 * the request, `aud` https://appleid.apple.com, an `exp` in the future and at most six months
 * ahead. Returns what is wrong, or undefined.
 */
export function secretProblem(
  client: Readonly<EmulatorClient>,
  clientId: string,
  secret: string | undefined,
  nowMs: number,
): string | undefined {
  if (!secret) return 'no client_secret';
  const [h = '', p = '', s = '', ...rest] = secret.split('.');
  const header = decode(h);
  const claims = decode(p);
  if (!header || !claims || rest.length > 0 || s === '') return 'client_secret is not a JWT';
  if (header.alg !== 'ES256') return 'client_secret alg is not ES256';
  if (header.kid !== client.keyId) return 'client_secret kid is not the key id';
  if (!client.publicKey) return 'the client has no key';
  const signed = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key: createPublicKey(client.publicKey), dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  if (!signed) return 'client_secret signature does not verify';
  const now = Math.floor(nowMs / 1000);
  if (claims.iss !== client.teamId) return 'client_secret iss is not the team id';
  if (claims.sub !== clientId) return 'client_secret sub is not the client_id';
  if (claims.aud !== APPLE_ISSUER) return `client_secret aud is not ${APPLE_ISSUER}`;
  if (typeof claims.exp !== 'number' || claims.exp <= now) return 'client_secret has expired';
  if (claims.exp - now > MAX_SECRET_SECONDS)
    return 'client_secret expires more than six months ahead';
  if (typeof claims.iat !== 'number' || claims.iat > now + 60) return 'client_secret iat is wrong';
  return undefined;
}
