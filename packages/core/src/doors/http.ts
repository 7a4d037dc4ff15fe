import type { Request, Response } from 'express';
import type { ResolvedConfig } from '../config';
import { SocialAuthError, isErrorCode } from '../errors';
import type { ProviderReason } from '../contract';
import { EXPIRED_REASONS, PROVIDER_REASONS, type ExpiredReason } from '../locale/reasons';
import type { CookieCheck } from '../flow/state';
import { MESSAGE_KEYS, textsFor, type Locale, type MessageKey, type Texts } from '../locale';

/** Browsers get pages and redirects; clients that ask for JSON get JSON. */
export function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

/** An error answered as JSON: its status, `Retry-After` when it is a 503, never cached. */
export function sendErrorJson(res: Response, err: SocialAuthError): void {
  if (err.status === 503) res.set('Retry-After', '5');
  res.status(err.status).set('Cache-Control', 'no-store').json(errorBody(err));
}

/** The JSON body for an error: code and public message, never internal detail. */
export function errorBody(err: SocialAuthError) {
  return {
    error: {
      code: err.code,
      message: err.publicMessage,
      ...(err.reason && { reason: err.reason }),
    },
  };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The texts for a page answering `req`, in the configured or negotiated language. */
export function pageTexts(
  req: Request,
  config: Pick<ResolvedConfig, 'locale' | 'messages'>,
): Texts {
  return textsFor(req.headers['accept-language'], config.locale, config.messages);
}

/**
 * Sends one of socialauth's own pages: self-contained, nothing third-party loaded
 * (RFC 9700 §4.2.4), never cached, no referrer, in `lang`. `title` is escaped; `body` is trusted
 * HTML. A page that carries a form says so with `form: true`.
 */
export function sendPage(
  res: Response,
  status: number,
  title: string,
  body: string,
  lang: Locale = 'en',
  { form = false }: { form?: boolean } = {},
): void {
  res
    .status(status)
    .set('Content-Type', 'text/html; charset=utf-8')
    .set('Content-Language', lang)
    .set('Vary', 'Accept-Language')
    // Under `no-referrer` a browser sends `Origin: null` with a form's POST (Fetch, "serialize a
    // request origin"), which the CSRF check rightly refuses. A page with a form lets its own
    // origin through, and still tells no other site where the visitor was (OWASP CSRF
    // Prevention, "Verifying Origin"); the Origin check itself stays strict.
    .set('Referrer-Policy', form ? 'same-origin' : 'no-referrer')
    .set('Cache-Control', 'no-store')
    .send(
      `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
        `<meta name="viewport" content="width=device-width, initial-scale=1"></head>` +
        `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5;word-break:keep-all;overflow-wrap:anywhere">` +
        `<h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

const TITLED = new Set<string>(MESSAGE_KEYS.filter((k) => k.startsWith('title.')));

/**
 * The error page: a title for what failed (a disconnect is not a "sign-in problem"), the public
 * message for the code, why when there is a diagnosis, and a way back that fits the visitor:
 * into the app when signed in, to the home page (`afterLogout`) when not.
 */
export function renderErrorPage(
  req: Request,
  res: Response,
  config: Pick<ResolvedConfig, 'locale' | 'messages' | 'afterLogin' | 'afterLogout'>,
  status: number,
  code: unknown,
  reason?: unknown,
  /** Other ways to sign in, offered under the message (a provider that is down). */
  alternatives: readonly { name: string; href: string }[] = [],
): void {
  const { t, locale } = pageTexts(req, config);
  const known = isErrorCode(code) ? code : undefined;
  // A provider's refusal says what the user can do instead of the code's generic text (which
  // may say "try again" where that will not help).
  const refusal =
    typeof reason === 'string' && Object.hasOwn(PROVIDER_REASONS, reason)
      ? t(`reason.${reason as ProviderReason}`)
      : undefined;
  const message = refusal ?? (known ? t(`error.${known}`) : t('error.unknown'));
  // A cookie that never arrived is not an expiry, whatever the code: the generic title then.
  const noCookie = reason === 'cookie_missing' || reason === 'not_https';
  const titleKey =
    known && !noCookie && TITLED.has(`title.${known}`)
      ? (`title.${known}` as MessageKey)
      : undefined;
  const why =
    typeof reason === 'string' && Object.hasOwn(EXPIRED_REASONS, reason)
      ? `<p id="reason">${escapeHtml(t(`reason.${reason as ExpiredReason}`))}</p>`
      : '';
  const [home, back] = req.user
    ? [config.afterLogin, t('page.backSignedIn')]
    : [config.afterLogout, t('page.backSignedOut')];
  sendPage(
    res,
    status,
    t(titleKey ?? 'title.default'),
    `<p id="message">${escapeHtml(message)}</p>${why}` +
      (known
        ? `<p><small>${escapeHtml(t('page.code'))}: <code id="code">${known}</code></small></p>`
        : '') +
      (alternatives.length > 0
        ? `<p>${escapeHtml(t('page.otherWays'))}</p><ul id="others">${alternatives
            .map((a) => `<li><a href="${escapeHtml(a.href)}">${escapeHtml(a.name)}</a></li>`)
            .join('')}</ul>`
        : '') +
      `<p><a id="back" href="${escapeHtml(home)}">${escapeHtml(back)}</a></p>`,
    locale,
  );
}

/** A cookie's raw value from the request's `Cookie` header, if it has one by that name. */
export function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(/;\s*/)) {
    if (part.startsWith(`${name}=`)) return part.slice(name.length + 1);
  }
  return undefined;
}

/**
 * Whether the browser sent socialauth's cookie: tells a lost session from a blocked cookie, and
 * both from an https site reached over http (where the `Secure` cookie was never set).
 */
export function cookieCheck(
  req: Request,
  config: Pick<ResolvedConfig, 'secure' | 'cookieName'>,
): CookieCheck {
  if (config.secure && !req.secure) return 'not_https';
  return cookieValue(req, config.cookieName) === undefined ? 'missing' : 'sent';
}

/** Clears the session cookie with the attributes it was set with (else a browser keeps it). */
export function clearSessionCookie(
  res: Response,
  config: Pick<ResolvedConfig, 'cookieName' | 'secure'>,
): void {
  res.clearCookie(config.cookieName, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secure,
  });
}
