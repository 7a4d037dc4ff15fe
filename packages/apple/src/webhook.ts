import {
  SocialAuthError,
  providerJwtVerifier,
  type WebhookEvent,
  type WebhookRequest,
} from '@socialauth/core/provider';

/**
 * Apple's server-to-server notification types ("Processing changes for Sign in with Apple
 * accounts", checked 2026-12-07). The page now says `account-deleted`; it said `account-delete`
 * before, and both are taken.
 */
const UNLINKS = new Set(['consent-revoked', 'account-deleted', 'account-delete']);
const NOTICES = new Set(['email-disabled', 'email-enabled']);

/** A day: Apple retries a failed delivery, and core remembers each `jti` that long. */
const MAX_AGE_SECONDS = 24 * 3600;

/**
 * Verifies Apple's server-to-server notifications: `POST` with the JSON body
 * `{ "payload": "<JWT>" }`, signed with Apple's keys (the same JWKS as its ID tokens), `iss`
 * https://appleid.apple.com, `aud` the app's id. `events` is a JSON string in real notifications
 * (Apple's own example shows an object: both are read). `consent-revoked` and `account-deleted`
 * unlink the identity and end its sessions; `email-disabled` and `email-enabled` are
 * acknowledged. Each notification's `jti` makes a replay a no-op. Apple wants 200.
 */
export function notificationVerifier(options: {
  jwksURL: string;
  issuer: string;
  audiences: readonly string[];
}) {
  const verify = providerJwtVerifier({
    jwksURL: options.jwksURL,
    issuers: [options.issuer],
    audiences: options.audiences,
    algorithms: ['RS256'],
    maxAgeSeconds: MAX_AGE_SECONDS,
  });
  return async (request: WebhookRequest): Promise<WebhookEvent> => {
    if (request.method !== 'POST') {
      throw new SocialAuthError('webhook_invalid', 'Apple notifies by POST');
    }
    const { payload } = request.body;
    if (typeof payload !== 'string' || payload === '') {
      throw new SocialAuthError('webhook_invalid', 'Apple notification without a payload');
    }
    const claims = await verify(payload);
    const events = readEvents(claims.events);
    const { type, sub } = events;
    if (typeof type !== 'string' || typeof sub !== 'string' || sub === '') {
      throw new SocialAuthError('invalid_request', 'Apple notification without a type or sub');
    }
    const id = typeof claims.jti === 'string' && claims.jti !== '' ? claims.jti : undefined;
    const base = { subject: sub, ackStatus: 200 as const, ...(id && { id }) };
    if (UNLINKS.has(type)) return { event: 'unlink', ...base };
    if (NOTICES.has(type)) return { event: 'notice', ...base };
    // A type Apple adds later is acknowledged, so Apple does not retry it forever.
    return { event: 'notice', ...base };
  };
}

function readEvents(events: unknown): Record<string, unknown> {
  let value = events;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new SocialAuthError('invalid_request', 'Apple notification events are not JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SocialAuthError('invalid_request', 'Apple notification without events');
  }
  return value as Record<string, unknown>;
}
