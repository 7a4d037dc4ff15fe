import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { SocialAuthError } from '../errors';
import type { FlowAppState } from '../flow/start';
import { FLOW_TTL_MS, MAX_FLOWS, liveFlows } from '../flow/state';
import type { PendingFlow, StateStore } from '../contract';

const consumed = new WeakMap<Request, PendingFlow>();

/** Hands passport the flow this request's callback took, for the PKCE verifier and the nonce. */
export function markConsumed(req: Request, flow: PendingFlow): void {
  consumed.set(req, flow);
}

/** The flow this request's callback consumed (see {@link markConsumed}). */
export function consumedFlow(req: Request): PendingFlow | undefined {
  return consumed.get(req);
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
    const { next, nonce, connectFor, linkId, scopes, purpose, maxAge, silent } = (appState ??
      {}) as FlowAppState;
    // RFC 6749 §10.12: unguessable, bound to this session. 256 bits from the CSPRNG.
    const state = randomBytes(32).toString('base64url');
    const data = (req.session.socialauth ??= {});
    const flows = liveFlows(data.flows, MAX_FLOWS - 1);
    flows[state] = {
      provider: this.provider,
      verifier,
      nonce,
      next,
      connectFor,
      linkId,
      ...(scopes && { scopes }),
      ...(purpose && { purpose }),
      ...(maxAge !== undefined && { maxAge }),
      ...(silent && { silent }),
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
