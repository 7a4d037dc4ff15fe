import { SocialAuthError } from '../errors';
import type { PendingFlow } from '../contract';
import type { SocialAuthSessionData } from '../types';
import { EXPIRED_REASONS, type ExpiredReason } from '../locale/reasons';

/** RFC 9700 §4.7 / SECURITY.md: a pending sign-in lives ten minutes. */
export const FLOW_TTL_MS = 10 * 60 * 1000;
/** Enough for a few tabs; an attacker cannot grow the session without bound. */
export const MAX_FLOWS = 5;

/** Drops expired flows and, past the cap, the oldest ones. Returns the live flows. */
export function liveFlows(
  flows: Record<string, PendingFlow> = {},
  max = MAX_FLOWS,
): Record<string, PendingFlow> {
  const now = Date.now();
  const entries = Object.entries(flows)
    .filter(([, f]) => now - f.createdAt < FLOW_TTL_MS)
    .sort(([, a], [, b]) => b.createdAt - a.createdAt)
    .slice(0, max);
  return Object.fromEntries(entries);
}

/**
 * What the callback request says about the session cookie: `not_https` when baseURL is https
 * but the request arrived over http (no TLS, or a TLS proxy without `trust proxy`), so a
 * `Secure` cookie was never set.
 */
export type CookieCheck = 'sent' | 'missing' | 'not_https';

/**
 * Takes one flow out of the session: single-use whether the sign-in then succeeds or fails.
 * A missing flow is diagnosed (`reason`) so the expired page can say what to do.
 */
export function takeFlow(
  data: SocialAuthSessionData | undefined,
  provider: string,
  state: unknown,
  cookie: CookieCheck,
): PendingFlow {
  if (typeof state !== 'string' || state.length === 0) {
    throw new SocialAuthError('state_mismatch', 'The callback carried no state');
  }
  const flow = data?.flows?.[state];
  if (!data?.flows || !flow) {
    const reason: ExpiredReason =
      cookie === 'not_https'
        ? 'not_https'
        : cookie === 'missing'
          ? 'cookie_missing'
          : !data
            ? 'session_lost'
            : 'state_used';
    throw new SocialAuthError('login_expired', EXPIRED_REASONS[reason], { reason });
  }
  delete data.flows[state];
  // RFC 9700 §4.4 (mix-up): a state issued for one provider is worthless at another's callback.
  if (flow.provider !== provider) {
    throw new SocialAuthError('state_mismatch', `The state was issued for another provider`);
  }
  if (Date.now() - flow.createdAt >= FLOW_TTL_MS) {
    throw new SocialAuthError('login_expired', EXPIRED_REASONS.flow_expired, {
      reason: 'flow_expired',
    });
  }
  return flow;
}
