import { createPrivateKey, sign, type KeyObject } from 'node:crypto';

/** The `aud` of every client secret (developer.apple.com, "Creating a client secret", 2026-12-07). */
export const APPLE_AUDIENCE = 'https://appleid.apple.com';

/**
 * How long a secret this package signs is valid. Apple accepts up to 15777000 seconds (six months)
 * ahead of its own clock; an hour keeps a leaked secret short-lived, and signing one costs well
 * under a millisecond.
 */
export const SECRET_LIFETIME_SECONDS = 3600;
/** A secret is signed anew when it has less than this left, so none expires in flight. */
const RENEW_BEFORE_SECONDS = 300;

/**
 * The `.p8` key Apple issues (a PKCS#8 PEM, ECDSA P-256), read leniently the way it reaches an
 * app: with `\n` escapes from an environment variable, or as the bare base64 body. Returns the
 * key, or why it is not one.
 *
 * @example
 * ```ts
 * const key = readPrivateKey(process.env.APPLE_PRIVATE_KEY);
 * if (typeof key === 'string') throw new Error(key);
 * ```
 */
export function readPrivateKey(pem: string | undefined): KeyObject | string {
  if (!pem) return 'is required; set APPLE_PRIVATE_KEY or pass privateKey (the .p8 file’s text)';
  let text = pem.replace(/\\n/g, '\n').trim();
  if (!text.includes('-----BEGIN')) {
    text = `-----BEGIN PRIVATE KEY-----\n${text.replace(/\s+/g, '')}\n-----END PRIVATE KEY-----`;
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    return 'is not a PEM private key; pass the whole text of the AuthKey_<keyId>.p8 file';
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    return 'is not an ECDSA P-256 key; Sign in with Apple keys (.p8) are, use one of those';
  }
  return key;
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Makes Sign in with Apple's client secrets: an ES256 JWT with `kid` = the key id, `iss` = the
 * team id, `sub` = the client id it authenticates (the Services ID, or an app's bundle id for
 * its native codes), `aud` = https://appleid.apple.com, valid {@link SECRET_LIFETIME_SECONDS}.
 * Each client's secret is kept and renewed before it expires. The secret is a credential: it
 * is never logged, and never leaves the back channel.
 *
 * @example
 * ```ts
 * const secret = clientSecrets({ teamId, keyId, key });
 * postForm(tokenURL, { client_id: clientId, client_secret: secret(clientId), ... }, 'token_exchange_failed');
 * ```
 */
export function clientSecrets(options: {
  teamId: string;
  keyId: string;
  key: KeyObject | undefined;
  now?: () => number;
}): (clientId: string) => string {
  const now = options.now ?? Date.now;
  const made = new Map<string, { secret: string; expiresAt: number }>();
  return (clientId) => {
    const seconds = Math.floor(now() / 1000);
    const kept = made.get(clientId);
    if (kept && kept.expiresAt - seconds > RENEW_BEFORE_SECONDS) return kept.secret;
    // validate() reported a missing or bad key at start-up; a request never gets this far.
    if (!options.key) throw new Error('Sign in with Apple has no private key');
    const exp = seconds + SECRET_LIFETIME_SECONDS;
    const signing = `${base64url({ alg: 'ES256', kid: options.keyId })}.${base64url({
      iss: options.teamId,
      iat: seconds,
      exp,
      aud: APPLE_AUDIENCE,
      sub: clientId,
    })}`;
    // JWS ES256 is the raw r||s pair (RFC 7518 §3.4), not DER.
    const signature = sign('sha256', Buffer.from(signing), {
      key: options.key,
      dsaEncoding: 'ieee-p1363',
    });
    const secret = `${signing}.${signature.toString('base64url')}`;
    made.set(clientId, { secret, expiresAt: exp });
    return secret;
  };
}
