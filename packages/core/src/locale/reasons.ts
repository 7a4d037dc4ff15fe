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

/** A diagnosed `login_expired` reason. */
export type ExpiredReason = keyof typeof EXPIRED_REASONS;
