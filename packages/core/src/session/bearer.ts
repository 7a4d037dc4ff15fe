import { createHmac } from 'node:crypto';
import type { Request } from 'express';

// `Bearer s:<session id>.<signature>`: the session cookie's own value (RFC 6750 §2.1 syntax).
// RFC 9110 §11.1: the scheme is case-insensitive (`bearer` too); §11.4: `1*SP` before the token.
const BEARER = /^([A-Za-z]+) +(s:[A-Za-z0-9_-]+\.[A-Za-z0-9+/]+)$/;

/**
 * The session token an app keeps instead of a cookie: exactly the signed value the cookie would
 * carry (express-session's `s:` + cookie-signature format, HMAC-SHA256 under the newest secret).
 * Server-side and revocable like the cookie: logout, sign-out-everywhere and expiry end both.
 */
export function sessionToken(sessionId: string, secret: string): string {
  const mac = createHmac('sha256', secret).update(sessionId).digest('base64').replace(/=+$/, '');
  return `s:${sessionId}.${mac}`;
}

/**
 * Lets an app's `Authorization: Bearer <session token>` stand for the session cookie, for the
 * request only: express-session then reads and verifies it like any cookie (one store read, as
 * for a browser). A request that has socialauth's cookie keeps it; a bearer header is not an
 * ambient credential, so no other site can make a browser send it.
 */
export function bearerAsCookie(req: Request, cookieName: string): void {
  const match = BEARER.exec(req.headers.authorization ?? '');
  if (match?.[1]!.toLowerCase() !== 'bearer') return;
  const cookies = req.headers.cookie;
  if (cookies?.split(/;\s*/).some((c) => c.startsWith(`${cookieName}=`))) return;
  const pair = `${cookieName}=${encodeURIComponent(match[2]!)}`;
  req.headers.cookie = cookies ? `${cookies}; ${pair}` : pair;
}
