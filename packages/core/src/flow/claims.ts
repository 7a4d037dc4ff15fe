import { createHash } from 'node:crypto';
import type { Coordination } from '../coordination/types';
import { SocialAuthError } from '../errors';
import type { ProviderPlugin } from '../contract';
import { checkIssuerParam } from '../tokens/id-token';
import { checkCallback } from './start';
import { EXPIRED_REASONS } from '../locale/reasons';
import { FLOW_TTL_MS } from './state';

/**
 * Claims a sign-in flow once, atomically. The flow itself lives in the session, and concurrent
 * requests each read their own copy: deleting it from the session cannot stop a second request
 * that read it first. The claim can (RFC 6749 §10.12, RFC 9700 §4.7: state is single-use).
 */
export interface FlowClaims {
  /** True for the first caller with this state value, false for every later one. */
  claim(state: string): Promise<boolean>;
}

/**
 * Claims in the app's {@link Coordination}: `SET NX` in its Redis, shared by every instance, or a
 * map in this process for one instance. Keys are a hash of the state, never the state itself,
 * and expire with the flow.
 */
export function flowClaims(coordination: Coordination): FlowClaims {
  return {
    claim: (state) =>
      coordination.once(
        `flow:${createHash('sha256').update(state).digest('base64url')}`,
        FLOW_TTL_MS,
      ),
  };
}

/**
 * The callback's checks before any token request, once its flow was taken from the session:
 * RFC 9207 §2.4 (an `iss` must name this provider, and be there if its metadata says so), the
 * provider's error or a missing code, then the atomic claim of the state (concurrent replays each
 * found the flow in their copy of the session: one wins).
 */
export async function acceptCallback(
  claims: FlowClaims,
  plugin: ProviderPlugin,
  query: Record<string, unknown>,
): Promise<void> {
  checkIssuerParam(plugin, query, await plugin.idToken?.issuerParameterRequired?.());
  checkCallback(query, plugin.authCode.deniedErrors);
  if (!(await claims.claim(String(query.state)))) {
    throw new SocialAuthError('login_expired', EXPIRED_REASONS.state_used, {
      reason: 'state_used',
    });
  }
}
