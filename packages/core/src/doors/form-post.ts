import { randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type { ResolvedConfig } from '../config';
import { SocialAuthError } from '../errors';
import { escapeHtml, pageTexts, sendPage } from './http';

/**
 * The form field that marks the callback's second POST, the one this site's own page made: its
 * absence, with no flow in the session, means the cookie stayed behind on a cross-site POST.
 */
export const RESUBMITTED = 'socialauth_resubmitted';

// A form_post answer is a code, a state, an ID token and Apple's `user` JSON: a few KB at most.
const parseForm = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 32 });

/**
 * The callback's form (OAuth 2.0 Form Post Response Mode §2), parsed: every field one string.
 * A repeated field or a body over 16 KB is `invalid_request`.
 */
export function readCallbackForm(req: Request, res: Response): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    parseForm(req, res, (err?: unknown) => {
      if (err) {
        reject(new SocialAuthError('invalid_request', 'The callback form is malformed'));
        return;
      }
      const body: unknown = req.body;
      const fields: Record<string, string> = {};
      for (const [name, value] of Object.entries(body ?? {})) {
        if (typeof value !== 'string') {
          reject(new SocialAuthError('invalid_request', 'A callback field is not one string'));
          return;
        }
        fields[name] = value;
      }
      resolve(fields);
    });
  });
}

/**
 * Answers a provider's cross-site form POST with a page of this site that posts the same fields
 * to the same callback again, by itself (a script) or at a press (without scripts).
 *
 * Why: the session cookie is `SameSite=Lax` (RFC 6265bis §8.8.2), which a browser leaves out of
 * a cross-site POST, so the provider's POST arrives without the session that holds its state.
 * The second POST is made by this site's own page, so it is same-site and carries the cookie;
 * the state is then checked as strictly as ever. Nothing is stored for the first POST (no
 * session is created, no cookie set), and the fields are already in the browser: the page
 * repeats them there, never in a URL, and is never cached.
 */
export function sendResubmitPage(
  req: Request,
  res: Response,
  config: Pick<ResolvedConfig, 'locale' | 'messages'>,
  action: string,
  fields: Readonly<Record<string, string>>,
): void {
  const { t, locale } = pageTexts(req, config);
  const nonce = randomBytes(16).toString('base64');
  const inputs = Object.entries(fields)
    .filter(([name]) => name !== RESUBMITTED)
    .map(([name, value]) => hidden(name, value))
    .join('');
  // Only this page's one script runs. No `form-action`: browsers apply it to the redirects
  // after the POST too, and the sign-in may end on another allowed origin (`next`).
  res.set(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'nonce-${nonce}'; base-uri 'none'; frame-ancestors 'none'`,
  );
  sendPage(
    res,
    200,
    t('formPost.title'),
    `<form id="resubmit" method="post" action="${escapeHtml(action)}">${inputs}` +
      hidden(RESUBMITTED, '1') +
      `<button type="submit">${escapeHtml(t('formPost.continue'))}</button></form>` +
      `<script nonce="${nonce}">document.getElementById('resubmit').submit()</script>`,
    locale,
    // Referrer-Policy same-origin: the second POST carries this site's Origin.
    { form: true },
  );
}

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
}
