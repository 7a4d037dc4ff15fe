import type { ProviderReason } from '../contract';

/**
 * Why a callback found no usable flow, in words a user can act on: the English texts of the
 * `reason.*` page keys (Korean in ko.ts) and the messages of `login_expired` errors.
 */
export const EXPIRED_REASONS = {
  cookie_missing:
    'Your browser did not send the sign-in cookie. Cookies may be blocked, or the sign-in was started at another address of this site.',
  session_lost: 'The sign-in session ended on the server before you came back.',
  state_used: 'This sign-in response was already used, or belongs to an older attempt.',
  token_used: 'This sign-in token was already used. Sign in in the app again.',
  flow_expired: 'The sign-in took longer than ten minutes.',
  not_https:
    "This site is set up for https, but the sign-in reached it over http, so the browser could not keep the sign-in cookie. If you run this site behind a proxy that ends TLS, call app.set('trust proxy', 1).",
} as const;

/**
 * What a provider's refusal means for the user (`reason` of `token_exchange_failed`): the
 * English `reason.*` page texts. The developer's details go to the log, never to this page.
 */
export const PROVIDER_REASONS = {
  client_rejected:
    "This site's sign-in with the provider is not set up correctly, so trying again will not help. Please let the site know.",
  redirect_mismatch:
    "This site's sign-in with the provider is not set up correctly, so trying again will not help. Please let the site know.",
  scope_not_configured:
    'This site asked the provider for information it is not set up to ask for. Please let the site know.',
  code_used: 'This sign-in was already completed, or took too long. Please sign in again.',
  provider_down: 'The sign-in service is having trouble. Please try again in a moment.',
} as const satisfies Record<ProviderReason, string>;

/** A diagnosed `login_expired` reason. */
export type ExpiredReason = keyof typeof EXPIRED_REASONS;
