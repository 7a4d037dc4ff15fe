import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { SocialAuthError } from '../errors';
import type { PendingFlow, StateStore } from '../provider';

/** RFC 9700 §4.7 / SECURITY.md: a pending sign-in lives ten minutes. */
export const FLOW_TTL_MS = 10 * 60 * 1000;
/** Enough for a few tabs; an attacker cannot grow the session without bound. */
const MAX_FLOWS = 5;

const consumed = new WeakMap<Request, PendingFlow>();

/** The flow this request's callback consumed with {@link takeFlow}. */
export function consumedFlow(req: Request): PendingFlow | undefined {
  return consumed.get(req);
}

/** Drops expired flows and, past the cap, the oldest ones. Returns the live flows. */
export function liveFlows(req: Request, max = MAX_FLOWS): Record<string, PendingFlow> {
  const now = Date.now();
  const flows = req.session.socialauth?.flows ?? {};
  const entries = Object.entries(flows)
    .filter(([, f]) => now - f.createdAt < FLOW_TTL_MS)
    .sort(([, a], [, b]) => b.createdAt - a.createdAt)
    .slice(0, max);
  return Object.fromEntries(entries);
}

/** Why a callback found no usable flow, in words a user can act on. */
export const EXPIRED_REASONS = {
  cookie_missing:
    'Your browser did not send the sign-in cookie. Cookies may be blocked, or the sign-in was started at another address of this site.',
  session_lost: 'The sign-in session ended on the server before you came back.',
  state_used: 'This sign-in response was already used, or belongs to an older attempt.',
  flow_expired: 'The sign-in took longer than ten minutes.',
} as const;

/**
 * Takes one flow out of the session: single-use whether the sign-in then succeeds or fails.
 * A missing flow is diagnosed (`reason`) so the expired page can say what to do.
 */
export function takeFlow(
  req: Request,
  provider: string,
  state: unknown,
  cookieName: string,
): PendingFlow {
  if (typeof state !== 'string' || state.length === 0) {
    throw new SocialAuthError('state_mismatch', 'The callback carried no state');
  }
  const data = req.session.socialauth;
  const flow = data?.flows?.[state];
  if (!data?.flows || !flow) {
    const cookieSent = (req.headers.cookie ?? '')
      .split(/;\s*/)
      .some((c) => c.startsWith(`${cookieName}=`));
    const reason = !cookieSent ? 'cookie_missing' : !data ? 'session_lost' : 'state_used';
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
  consumed.set(req, flow);
  return flow;
}

interface FlowAppState {
  next?: string;
  nonce?: string;
  connectFor?: string;
  linkId?: string;
}

/**
 * A passport-oauth2 state store that keeps a small map of flows in the session instead of
 * passport's one slot per host, so two tabs can sign in at once.
 */
export class SessionStateStore implements StateStore {
  constructor(private readonly provider: string) {}

  store(
    req: Request,
    verifier: string | undefined,
    appState: unknown,
    _meta: unknown,
    callback: (err: Error | null, state?: string) => void,
  ): void {
    const { next, nonce, connectFor, linkId } = (appState ?? {}) as FlowAppState;
    // RFC 6749 §10.12: unguessable, bound to this session. 256 bits from the CSPRNG.
    const state = randomBytes(32).toString('base64url');
    const data = (req.session.socialauth ??= {});
    const flows = liveFlows(req, MAX_FLOWS - 1);
    flows[state] = {
      provider: this.provider,
      verifier,
      nonce,
      next,
      connectFor,
      linkId,
      createdAt: Date.now(),
    };
    data.flows = flows;
    // A session that is not signed in exists only for this flow: let it expire with it.
    if (!data.user) req.session.cookie.maxAge = FLOW_TTL_MS;
    // expressjs/session#360: the 302 must not race the store write, or the callback finds no state.
    req.session.save((err) => {
      if (err) callback(new SocialAuthError('session_unavailable', undefined, { cause: err }));
      else callback(null, state);
    });
  }

  verify(
    req: Request,
    _state: string,
    _meta: unknown,
    callback: (err: Error | null, ok?: string | boolean, info?: unknown) => void,
  ): void {
    // The callback route already took (and so invalidated) the flow before any token call.
    const flow = consumed.get(req);
    if (!flow || flow.provider !== this.provider) {
      callback(new SocialAuthError('state_mismatch', 'The callback state was not checked'));
      return;
    }
    // A string tells passport-oauth2 to send it as the PKCE code_verifier (RFC 7636 §4.5).
    callback(null, flow.verifier ?? true, flow);
  }
}
