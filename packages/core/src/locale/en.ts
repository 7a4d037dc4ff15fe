import { ERROR_CODES, type SocialAuthErrorCode } from '../errors';
import type { ProviderReason } from '../contract';
import { EXPIRED_REASONS, PROVIDER_REASONS, type ExpiredReason } from './reasons';

/** Codes whose error page has a title of its own; the others are titled `title.default`. */
export type TitledCode =
  | 'access_denied'
  | 'identity_in_use'
  | 'last_identity'
  | 'revoke_failed'
  | 'login_expired'
  | 'rate_limited'
  | 'session_unavailable'
  | 'signup_closed'
  | 'link_pending'
  | 'account_disabled'
  | 'deletion_failed'
  | 'wrong_identity'
  | 'provider_unavailable';

/**
 * Every text on a page socialauth renders. `{provider}` and `{code}` are filled in (escaped);
 * everything is plain text.
 */
export type MessageKey =
  | `error.${SocialAuthErrorCode}`
  | 'error.unknown'
  | 'title.default'
  | `title.${TitledCode}`
  | `reason.${ExpiredReason}`
  | `reason.${ProviderReason}`
  | 'page.code'
  | 'page.backSignedIn'
  | 'page.backSignedOut'
  | 'formPost.title'
  | 'formPost.continue'
  | 'inApp.title'
  | 'inApp.why'
  | 'inApp.open'
  | 'inApp.howIos'
  | 'inApp.how'
  | 'inApp.copy'
  | 'inApp.copied'
  | 'page.otherWays'
  | 'link.title'
  | 'link.signedOut'
  | 'link.signInWith'
  | 'link.confirm'
  | 'link.account'
  | 'link.email'
  | 'link.noEmail'
  | 'link.id'
  | 'link.connect'
  | 'link.cancel'
  | 'delete.title'
  | 'delete.intro'
  | 'delete.identities'
  | 'delete.confirm'
  | 'delete.cancel'
  | 'delete.doneTitle'
  | 'delete.done';

/** One language's texts, every key present. */
export type Messages = Record<MessageKey, string>;

const errors = Object.fromEntries(
  Object.entries(ERROR_CODES).map(([code, { message }]) => [`error.${code}`, message]),
) as Record<`error.${SocialAuthErrorCode}`, string>;
const reasons = Object.fromEntries(
  Object.entries({ ...EXPIRED_REASONS, ...PROVIDER_REASONS }).map(([reason, text]) => [
    `reason.${reason}`,
    text,
  ]),
) as Record<`reason.${ExpiredReason | ProviderReason}`, string>;

/** English: the error texts are the codes' public messages (the same as in JSON bodies). */
export const en: Messages = {
  ...errors,
  'error.unknown': 'Sign-in did not complete.',
  'title.default': 'Sign-in problem',
  'title.access_denied': 'Sign-in cancelled',
  'title.identity_in_use': 'Account already connected',
  'title.last_identity': 'Cannot disconnect',
  'title.revoke_failed': 'Disconnection not confirmed',
  'title.login_expired': 'Sign-in expired',
  'title.rate_limited': 'Too many attempts',
  'title.session_unavailable': 'Sign-in unavailable',
  'title.signup_closed': 'Sign-up closed',
  'title.link_pending': 'You already have an account',
  'title.account_disabled': 'Account disabled',
  'title.deletion_failed': 'Account not deleted',
  'title.wrong_identity': 'A different account',
  'title.provider_unavailable': 'Sign-in service unavailable',
  ...reasons,
  'page.code': 'Error code',
  'formPost.title': 'Finishing sign-in',
  'formPost.continue': 'Continue',
  'inApp.title': 'Open this in your browser',
  'inApp.why':
    "{provider} does not allow signing in inside {app}. Continue in your phone's own browser.",
  'inApp.open': 'Open in browser',
  'inApp.howIos':
    'Tap the ⋯ or share button at the edge of the screen and choose to open the page in Safari, or copy the link into Safari.',
  'inApp.how':
    'Choose to open the page in your browser from the ⋯ menu, or copy the link into your browser.',
  'inApp.copy': 'Copy link',
  'inApp.copied': 'Copied',
  'page.otherWays': 'Or sign in another way:',
  'page.backSignedIn': 'Back to the app',
  'page.backSignedOut': 'Back to the home page',
  'link.title': 'Connect {provider}',
  'link.signedOut':
    'An account already uses this email address. Sign in with the method you used before to connect {provider}:',
  'link.signInWith': 'Sign in with {provider}',
  'link.confirm': 'Connect this {provider} account to your account? Only continue if it is yours.',
  'link.account': 'Account',
  'link.email': 'Email',
  'link.noEmail': '(none)',
  'link.id': 'ID',
  'link.connect': 'Connect {provider}',
  'link.cancel': 'Cancel',
  'delete.title': 'Delete your account',
  'delete.intro':
    'Deleting your account removes it from this site: your profile, your connected accounts and the sign-in on every device. This cannot be undone.',
  'delete.identities': 'Connected accounts (each is disconnected at its provider too):',
  'delete.confirm': 'Delete my account',
  'delete.cancel': 'Cancel',
  'delete.doneTitle': 'Your account was deleted',
  'delete.done':
    'Your account and everything connected to it were deleted, and you are signed out everywhere.',
};
