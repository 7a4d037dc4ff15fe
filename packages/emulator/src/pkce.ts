import { createHash } from 'node:crypto';
import { safeEqual } from './clients';

/** What an authorization code remembers of its PKCE challenge. */
interface Challenged {
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: 'S256' | 'plain';
}

/** RFC 7636 §4.6, and RFC 9700 §2.1.1: a verifier without a challenge is a downgrade attempt. */
export function checkVerifier(code: Challenged, verifier: string | undefined): string | undefined {
  if (!code.codeChallenge) return verifier === undefined ? undefined : 'Invalid code verifier.';
  if (verifier === undefined) return 'Missing code verifier.';
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return 'Invalid code verifier.';
  const computed =
    code.codeChallengeMethod === 'S256'
      ? createHash('sha256').update(verifier, 'ascii').digest('base64url')
      : verifier;
  return safeEqual(computed, code.codeChallenge) ? undefined : 'Invalid code verifier.';
}
