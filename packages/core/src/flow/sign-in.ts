import type { AccountRules } from '../accounts/rules';
import { snapshot } from '../accounts/snapshot';
import { sessionUser } from '../accounts/user-cache';
import type { AccountStore } from '../accounts/types';
import { SocialAuthError } from '../errors';
import type { PendingFlow, SocialProfile, TokenSet } from '../contract';
import type { SocialAuthSessionData, SocialAuthUser } from '../types';
import { pendingLinkFor } from './pending-link';
import { cleanProfile } from './profile';
import { safeRedirect, type RedirectPolicy } from './redirect';
import { liveFlows } from './state';

/** What the sign-in flow needs from the app's configuration. */
export interface SignInContext {
  rules: AccountRules;
  accounts: AccountStore;
  policy: RedirectPolicy;
  afterLogin: string;
  basePath: string;
}

/** How a completed callback ends; the door turns it into a response. */
export type SignInOutcome =
  /** The signed-in user connected another identity: this session's user, refreshed. */
  | { kind: 'connected'; user: SocialAuthUser; target: string }
  /**
   * The signed-in user came back as their own identity: with more scopes (`consent`), or
   * authenticated again (`reauth`: the session's `authenticatedAt` moves to now).
   */
  | { kind: 'returned'; purpose: 'consent' | 'reauth'; user: SocialAuthUser; target: string }
  /** The identity waits for the owner of the matching account (kept in this session). */
  | { kind: 'pending'; session: SocialAuthSessionData; target: string }
  /**
   * Signed in: `session` is the whole socialauth part of a new session, to be stored under a
   * new id (session fixation, CVE-2022-25896): other tabs' flows in flight, and a pending link
   * only when this sign-in was started from its page.
   */
  | { kind: 'signed-in'; session: SocialAuthSessionData; user: SocialAuthUser; target: string };

/**
 * The sign-in after the provider proved who the user is: connect, pending link, or signed in,
 * under the account rules. Framework-free: plain inputs (the taken flow, the session's
 * socialauth data, the verified profile and tokens), a plain outcome.
 *
 * @example
 * ```ts
 * const outcome = await completeSignIn(ctx, { flow, data, profile, tokens, now: Date.now() });
 * ```
 */
export async function completeSignIn(
  ctx: SignInContext,
  input: {
    flow: PendingFlow;
    data: SocialAuthSessionData;
    profile: SocialProfile;
    /** None when an app signed in with an ID token alone. */
    tokens?: TokenSet;
    /** The scopes this sign-in was granted (`grantedScopes`). */
    scopes?: readonly string[];
    now: number;
  },
): Promise<SignInOutcome> {
  const { flow, data, tokens, now, scopes = [] } = input;
  // The one place every provider's profile passes (browser and token sign-in, connect) before
  // the account rules and any store.
  const profile = cleanProfile(input.profile);
  const target = safeRedirect(flow.next, ctx.policy) ?? ctx.afterLogin;
  if (flow.purpose !== undefined) {
    // More consent or a fresh sign-in: still the user who asked, and as one of their identities
    // (another account at the provider changes nothing, and never this session's user).
    if (flow.connectFor === undefined || data.user?.id !== flow.connectFor) {
      throw new SocialAuthError('unauthenticated');
    }
    await ctx.rules.returning(flow.connectFor, profile, tokens, scopes);
    const stored = await ctx.accounts.getUser(flow.connectFor);
    if (!stored) throw new SocialAuthError('unauthenticated');
    const user = await snapshot(ctx.accounts, stored, data.user.provider);
    return { kind: 'returned', purpose: flow.purpose, user, target };
  }
  if (flow.connectFor !== undefined) {
    // Connecting adds to the signed-in user; it must still be the user who asked.
    if (data.user?.id !== flow.connectFor) throw new SocialAuthError('unauthenticated');
    // Connecting is a browser flow: it always brings tokens.
    if (!tokens) throw new SocialAuthError('invalid_request', 'A connect came without tokens');
    await ctx.rules.connect(flow.connectFor, profile, tokens, scopes);
    const stored = await ctx.accounts.getUser(data.user.id);
    if (!stored) throw new SocialAuthError('unauthenticated');
    const user = await snapshot(ctx.accounts, stored, data.user.provider);
    return { kind: 'connected', user, target };
  }
  const outcome = await ctx.rules.signIn(profile, tokens, scopes);
  if (outcome.kind === 'pending') {
    return {
      kind: 'pending',
      session: { ...data, pendingLink: outcome.link },
      target: `${ctx.basePath}/link`,
    };
  }
  const flows = liveFlows(data.flows);
  const pendingLink = pendingLinkFor(flow.linkId, data.pendingLink);
  const user = await snapshot(ctx.accounts, outcome.user, profile.provider, profile);
  return {
    kind: 'signed-in',
    user,
    session: {
      user: sessionUser(user),
      touchedAt: now,
      authenticatedAt: now,
      ...(Object.keys(flows).length > 0 && { flows }),
      ...(pendingLink && { pendingLink }),
    },
    target,
  };
}
