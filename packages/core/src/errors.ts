/**
 * Every failure socialauth reports has a stable `code`, an HTTP `status` and a plain message
 * that is safe to show a user (it never holds a token, code, state or secret).
 */
export const ERROR_CODES = {
  config_invalid: { status: 500, message: 'socialauth is misconfigured.' },
  unknown_provider: { status: 404, message: 'There is no such sign-in provider.' },
  session_not_found: {
    status: 404,
    message: 'That session has ended already, or is not one of yours.',
  },
  invalid_request: { status: 400, message: 'The sign-in request was malformed.' },
  state_mismatch: {
    status: 403,
    message: 'The sign-in response did not match a sign-in started here. Please try again.',
  },
  login_expired: {
    status: 403,
    message: 'The sign-in expired or was already used. Please try again.',
  },
  access_denied: { status: 403, message: 'Sign-in was cancelled at the provider.' },
  provider_error: { status: 502, message: 'The provider refused the sign-in.' },
  token_exchange_failed: {
    status: 502,
    message: 'The provider did not accept the sign-in. Please try again.',
  },
  profile_fetch_failed: {
    status: 502,
    message: 'The provider did not return your profile. Please try again.',
  },
  id_token_invalid: {
    status: 502,
    message: 'The provider sent an identity token that failed checks.',
  },
  refresh_failed: { status: 502, message: 'The provider did not renew access. Please try again.' },
  reauth_required: {
    status: 401,
    message: 'Access to this provider has ended. Please sign in with it again.',
  },
  revoke_failed: { status: 502, message: 'The provider did not confirm the disconnection.' },
  identity_in_use: {
    status: 409,
    message: 'That account is already connected to another user.',
  },
  last_identity: {
    status: 409,
    message: 'This is your only way to sign in, so it cannot be disconnected.',
  },
  signup_closed: { status: 403, message: 'New sign-ups are closed.' },
  link_pending: {
    status: 409,
    message:
      'An account with this email exists. Sign in the way you did before to connect this one.',
  },
  session_unavailable: {
    status: 503,
    message: 'Sign-in is temporarily unavailable. Please try again shortly.',
  },
  csrf_failed: { status: 403, message: 'The request did not come from this site.' },
  rate_limited: { status: 429, message: 'Too many sign-in attempts. Please wait a moment.' },
  unauthenticated: { status: 401, message: 'You are not signed in.' },
  token_audience_mismatch: {
    status: 401,
    message: 'The sign-in token was issued to another app.',
  },
  webhook_invalid: {
    status: 401,
    message: 'The notification did not prove it came from the provider.',
  },
  account_disabled: {
    status: 403,
    message: 'This account is disabled. Please contact the service to have it enabled again.',
  },
  user_not_found: { status: 404, message: 'There is no such user.' },
  deletion_in_progress: { status: 409, message: 'This account is already being deleted.' },
  deletion_refused: { status: 409, message: 'This account cannot be deleted right now.' },
  deletion_failed: {
    status: 502,
    message:
      'A sign-in provider could not be reached, so the account was not deleted. Nothing was lost: please try again.',
  },
  scope_not_allowed: {
    status: 400,
    message: 'This app does not ask for that permission.',
  },
  consent_required: {
    status: 403,
    message: 'This needs a permission you have not given yet.',
  },
  recent_login_required: {
    status: 401,
    message: 'Please sign in again to continue.',
  },
  provider_unavailable: {
    status: 503,
    message: 'This sign-in service is not answering right now. Please try again in a moment.',
  },
  wrong_identity: {
    status: 403,
    message: 'You signed in with a different account. Please use the account you signed in with.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

/** A stable error code, safe to branch on and to put in an `?error=` query. */
export type SocialAuthErrorCode = keyof typeof ERROR_CODES;

/**
 * The one error class socialauth throws and reports.
 *
 * @example
 * ```ts
 * try { socialAuth(config) } catch (e) {
 *   if (e instanceof SocialAuthError && e.code === 'config_invalid') console.error(e.message);
 * }
 * ```
 */
export class SocialAuthError extends Error {
  override readonly name = 'SocialAuthError';
  /** Stable machine-readable code. */
  readonly code: SocialAuthErrorCode;
  /** The HTTP status socialauth answers with for this error. */
  readonly status: number;

  /** A finer, stable diagnosis where one helps the user, e.g. `cookie_missing`. */
  readonly reason: string | undefined;

  constructor(
    code: SocialAuthErrorCode,
    message?: string,
    options?: { cause?: unknown; reason?: string },
  ) {
    super(message ?? ERROR_CODES[code].message, options);
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.reason = options?.reason;
  }

  /** The message shown to end users: the generic text for the code, never internal detail. */
  get publicMessage(): string {
    return ERROR_CODES[this.code].message;
  }
}

/** True when `value` is one of socialauth's error codes. */
export function isErrorCode(value: unknown): value is SocialAuthErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** Turns anything thrown into a SocialAuthError without losing the original as `cause`. */
export function asSocialAuthError(err: unknown, fallback: SocialAuthErrorCode): SocialAuthError {
  if (err instanceof SocialAuthError) return err;
  return new SocialAuthError(fallback, undefined, { cause: err });
}
