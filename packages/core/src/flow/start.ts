import { randomBytes } from 'node:crypto';
import { isScopeToken } from '../accounts/scopes';
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
  /** The scopes the authorization request asks for (RFC 6749 §3.3). */
  scopes?: string[];
  /** A signed-in user's return to the provider: for more scopes, or to prove it is them. */
  purpose?: 'consent' | 'reauth';
  /** For `reauth` with OpenID Connect `max_age`: its seconds. */
  maxAge?: number;
  /** A silent try inside an in-app browser (`AuthCodeFlow.silent`). */
  silent?: true;
}

/** What a signed-in user's return to the provider sends besides the usual parameters. */
export interface Ask {
  purpose: 'consent' | 'reauth';
  /** The whole `scope` to send (consent): the kept configured scopes and the new ones. */
  scopes?: string[];
  /** Authorization parameters to add (the provider's own: `include_granted_scopes`, `prompt`). */
  params: Record<string, string>;
  /** OpenID Connect `max_age` (seconds), when the provider takes it: `auth_time` is checked. */
  maxAge?: number;
}

/** The longest `reauth` a start may ask for: a day, in seconds. */
export const MAX_REAUTH_SECONDS = 24 * 3600;

/**
 * A signed-in user's return to the provider, from the start's `scope` (incremental consent:
 * the scopes to add, each one the app allows in `moreScopes`) or `reauth` (the seconds within
 * which the user must have authenticated). `undefined` for an ordinary sign-in.
 *
 * @example
 * ```ts
 * askFor(kakao(), { scope: 'phone_number' }, user.id, ['phone_number']);
 * // { purpose: 'consent', scopes: ['openid', 'phone_number'], params: {} }
 * ```
 */
export function askFor(
  plugin: ProviderPlugin,
  params: { scope?: unknown; reauth?: unknown },
  userId: string | undefined,
  allowed: readonly string[],
): Ask | undefined {
  const { scope, reauth } = params;
  if (scope === undefined && reauth === undefined) return undefined;
  if (scope !== undefined && reauth !== undefined) {
    throw new SocialAuthError('invalid_request', 'A start takes scope or reauth, not both');
  }
  // Both add to an account: there must be one (a sign-in asks for the configured scopes only).
  if (userId === undefined) throw new SocialAuthError('unauthenticated');
  if (scope !== undefined) {
    const asked = typeof scope === 'string' ? scope.split(/[\s,]+/).filter(Boolean) : [];
    if (asked.length === 0 || asked.length > 50 || !asked.every(isScopeToken)) {
      throw new SocialAuthError('invalid_request', 'scope must list scope values');
    }
    const refused = asked.filter((s) => !allowed.includes(s));
    if (refused.length > 0) {
      throw new SocialAuthError(
        'scope_not_allowed',
        `Not in moreScopes.${plugin.id}: ${refused.join(' ').slice(0, 200)}`,
      );
    }
    const more = plugin.authCode.moreScopes;
    const keep = more?.keep ?? plugin.authCode.scopes ?? [];
    return {
      purpose: 'consent',
      scopes: [...new Set([...keep, ...asked])],
      params: { ...more?.params },
    };
  }
  const seconds = typeof reauth === 'string' && /^\d{1,6}$/.test(reauth) ? Number(reauth) : NaN;
  if (!(seconds <= MAX_REAUTH_SECONDS)) {
    throw new SocialAuthError(
      'invalid_request',
      `reauth must be 0 to ${MAX_REAUTH_SECONDS} seconds`,
    );
  }
  const re = plugin.authCode.reauthenticate;
  return {
    purpose: 'reauth',
    // OIDC Core §3.1.2.1: max_age makes the provider authenticate again when its own sign-in
    // is older, and puts auth_time in the ID token.
    params: { ...re?.params, ...(re?.maxAge && { max_age: String(seconds) }) },
    ...(re?.maxAge && { maxAge: seconds }),
  };
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
  ask?: Ask,
): FlowAppState {
  if (params.code !== undefined || params.error !== undefined) {
    throw new SocialAuthError('invalid_request', 'A sign-in start carried a callback parameter');
  }
  const scopes = ask?.scopes ?? plugin.authCode.scopes;
  return {
    next: safeRedirect(params.next, policy),
    nonce: plugin.idToken ? randomBytes(32).toString('base64url') : undefined,
    connectFor: ask ? data?.user?.id : connectFor,
    // Only the link page's own sign-in links name the pending link they are for.
    linkId: ask ? undefined : pendingLinkFor(params.link, data?.pendingLink)?.id,
    ...(scopes && { scopes: [...scopes] }),
    ...(ask && { purpose: ask.purpose }),
    ...(ask?.maxAge !== undefined && { maxAge: ask.maxAge }),
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
