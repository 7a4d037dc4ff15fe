import { randomBytes } from 'node:crypto';
import { SocialAuthError } from '../errors';
import type { ProviderPlugin } from '../contract';
import type { SocialAuthSessionData } from '../types';
import { pendingLinkFor } from './pending-link';
import { safeRedirect, type RedirectPolicy } from './redirect';

/** What a new sign-in remembers until its callback: kept with its state in the session. */
export interface FlowAppState {
  /** The validated post-login path. */
  next?: string;
  /** OpenID Connect nonce, when the provider issues ID tokens. */
  nonce?: string;
  /** Set when a signed-in user connects this provider, rather than signing in. */
  connectFor?: string;
  /** Set when the sign-in was started from a pending link's page (its id). */
  linkId?: string;
}

/**
 * A sign-in's beginning, from the request's parameters (query and form together): where to go
 * afterwards, a nonce when the provider issues ID tokens, and the pending link it is for. Refuses
 * parameters that belong to a callback (`code`, `error`): passport-oauth2 would take such a start
 * for a callback, and answer `error` by throwing.
 *
 * @example
 * ```ts
 * startFlow(google(), { next: '/settings' }, session.socialauth, policy);
 * ```
 */
export function startFlow(
  plugin: ProviderPlugin,
  params: { next?: unknown; link?: unknown; code?: unknown; error?: unknown },
  data: SocialAuthSessionData | undefined,
  policy: RedirectPolicy,
  connectFor?: string,
): FlowAppState {
  if (params.code !== undefined || params.error !== undefined) {
    throw new SocialAuthError('invalid_request', 'A sign-in start carried a callback parameter');
  }
  return {
    next: safeRedirect(params.next, policy),
    nonce: plugin.idToken ? randomBytes(32).toString('base64url') : undefined,
    connectFor,
    // Only the link page's own sign-in links name the pending link they are for.
    linkId: pendingLinkFor(params.link, data?.pendingLink)?.id,
  };
}

/**
 * The callback's answer before any token request: the provider's error (`access_denied`, or
 * one of the provider's own words for it), or a missing code.
 *
 * @example
 * ```ts
 * checkCallback({ error: 'access_denied' }); // throws access_denied
 * ```
 */
export function checkCallback(
  params: { code?: unknown; error?: unknown },
  deniedErrors: readonly string[] = [],
): string {
  const { code, error } = params;
  if (error !== undefined) {
    throw error === 'access_denied' || deniedErrors.includes(String(error))
      ? new SocialAuthError('access_denied')
      : new SocialAuthError(
          'provider_error',
          `The provider answered ${String(error).slice(0, 64)}`,
        );
  }
  if (typeof code !== 'string' || code === '') {
    throw new SocialAuthError('invalid_request', 'The callback carried no code');
  }
  return code;
}
