import type { Request, Response } from 'express';
import { ERROR_CODES, SocialAuthError, isErrorCode } from '../errors';
import { EXPIRED_REASONS } from '../flow/state';

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

/**
 * Sends one of socialauth's own pages: self-contained, nothing third-party loaded
 * (RFC 9700 §4.2.4), never cached, no referrer. `title` is escaped; `body` is trusted HTML.
 */
export function sendPage(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .set('Content-Type', 'text/html; charset=utf-8')
    .set('Referrer-Policy', 'no-referrer')
    .set('Cache-Control', 'no-store')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
        `<meta name="viewport" content="width=device-width, initial-scale=1"></head>` +
        `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">` +
        `<h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

/** The error page: the public message for the code, and why when there is a diagnosis. */
export function renderErrorPage(
  res: Response,
  status: number,
  code: unknown,
  home: string,
  reason?: unknown,
): void {
  const known = isErrorCode(code) ? code : undefined;
  const message = known ? ERROR_CODES[known].message : 'Sign-in did not complete.';
  const why =
    typeof reason === 'string' && Object.hasOwn(EXPIRED_REASONS, reason)
      ? `<p id="reason">${escapeHtml(EXPIRED_REASONS[reason as keyof typeof EXPIRED_REASONS])}</p>`
      : '';
  sendPage(
    res,
    status,
    'Sign-in problem',
    `<p id="message">${escapeHtml(message)}</p>${why}` +
      (known ? `<p><small>Error code: <code id="code">${known}</code></small></p>` : '') +
      `<p><a href="${escapeHtml(home)}">Back</a></p>`,
  );
}
