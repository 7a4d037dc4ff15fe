import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { SocialAuthError } from '../errors';
import type { TokenSet } from '../contract';

const VERSION = 'v1';
const IV_BYTES = 12; // NIST SP 800-38D: 96-bit IVs for GCM
const TAG_BYTES = 16; // NIST SP 800-38D §5.2.1.2: the full 128-bit tag, never a truncated one

interface Key {
  id: string;
  key: Buffer;
}

function deriveKey(secret: string): Key {
  // RFC 5869: a dedicated key for tokens, never the cookie-signing secret itself.
  const key = Buffer.from(hkdfSync('sha256', secret, 'socialauth', 'token-vault v1', 32));
  const id = createHash('sha256').update(key).digest('base64url').slice(0, 8);
  return { id, key };
}

/**
 * Encrypts provider tokens for the account store with AES-256-GCM under keys derived from
 * `secret` by HKDF. The newest secret seals; every listed secret opens, so keys can rotate.
 * The identity is bound as associated data: a sealed blob moved to another identity won't open.
 */
export class TokenVault {
  private readonly keys: Key[];

  constructor(secrets: readonly string[]) {
    this.keys = secrets.map(deriveKey);
  }

  seal(tokens: TokenSet, identity: string): string {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(identity));
    const body = Buffer.concat([cipher.update(JSON.stringify(tokens), 'utf8'), cipher.final()]);
    const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    return [VERSION, id, ...parts].join('.');
  }

  open(sealed: string, identity: string): TokenSet {
    const [version, id, iv, body, tag] = sealed.split('.');
    const entry = this.keys.find((k) => k.id === id);
    if (version !== VERSION || !entry || !iv || !body || !tag) {
      throw new SocialAuthError(
        'reauth_required',
        'Stored tokens cannot be opened with the current secrets',
      );
    }
    try {
      // NIST SP 800-38D §5.2.1.2 / CWE-354: Node checks only as many tag bytes as it is handed,
      // so a 4-byte prefix of the real tag would open. Pin the length, and refuse any other.
      const authTag = Buffer.from(tag, 'base64url');
      if (authTag.length !== TAG_BYTES) throw new Error(`auth tag of ${authTag.length} bytes`);
      const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(identity));
      decipher.setAuthTag(authTag);
      const text = Buffer.concat([
        decipher.update(Buffer.from(body, 'base64url')),
        decipher.final(),
      ]);
      return JSON.parse(text.toString('utf8')) as TokenSet;
    } catch (err) {
      throw new SocialAuthError('reauth_required', 'Stored tokens failed authentication', {
        cause: err,
      });
    }
  }
}
