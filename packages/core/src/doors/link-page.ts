import type { Response } from 'express';
import { escapeHtml, sendPage } from './http';
import type { MessageKey, Texts } from '../locale';
import type { PendingLink } from '../accounts/rules';

/** What the pending-link page needs besides the link. */
export interface LinkPageContext {
  basePath: string;
  /** The display name of the link's provider. */
  providerName: string;
  /** The other providers, to sign in "the way used before". */
  others: readonly { id: string; name: string }[];
  /** Set when the signed-in user owns the matching account: the page then asks to confirm. */
  csrfToken?: string;
  /** The page's language and texts. */
  texts: Texts;
}

/**
 * A subject id with its middle hidden: enough for a user to tell two accounts apart, not enough
 * to copy (ids are per-app secrets at some providers).
 *
 * @example
 * ```ts
 * maskSubject('b36dSugMUnPQ04-ONVAuakszcRzQ6UDQes6of9Ub02U'); // 'b36•••02U'
 * ```
 */
export function maskSubject(subject: string): string {
  if (subject.length <= 6) return '•'.repeat(subject.length);
  return `${subject.slice(0, 3)}•••${subject.slice(-3)}`;
}

/**
 * An email with its local part hidden but its first character, and the domain kept: the owner
 * recognises the address, while whoever holds the pending link's session learns neither the
 * address nor its length (CWE-204: the page must not turn into an account-enumeration oracle).
 *
 * @example
 * ```ts
 * maskEmail('ada.lovelace@gmail.com'); // 'a•••@gmail.com'
 * ```
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  // By code point, so a first character outside the BMP is not split.
  const [first] = Array.from(email.slice(0, at));
  return `${first}•••${email.slice(at)}`;
}

/**
 * The pending-link page. Signed out: the ways to sign in as the account's owner, each bound to
 * this link (`link=<id>`). Signed in as the owner: which identity would be linked (provider,
 * name, masked email and id), so a link planted by someone else is recognisable, and the buttons.
 */
export function renderLinkPage(res: Response, link: PendingLink, ctx: LinkPageContext): void {
  const { t, locale } = ctx.texts;
  const provider = ctx.providerName;
  const text = (key: MessageKey, name = provider) => escapeHtml(t(key, { provider: name }));
  if (ctx.csrfToken === undefined) {
    const query = `next=${encodeURIComponent(`${ctx.basePath}/link`)}&link=${link.id}`;
    const body =
      `<p>${text('link.signedOut')}</p>` +
      ctx.others
        .map(
          (p) =>
            `<p><a href="${ctx.basePath}/${p.id}?${escapeHtml(query)}">${text('link.signInWith', p.name)}</a></p>`,
        )
        .join('');
    sendPage(res, 200, t('link.title', { provider }), body, locale);
    return;
  }
  const details = [
    [t('link.account'), `${provider}${link.name ? `: ${link.name}` : ''}`],
    [t('link.email'), link.email === undefined ? t('link.noEmail') : maskEmail(link.email)],
    [t('link.id'), maskSubject(link.subject)],
  ]
    .map(([k, v]) => `<dt>${escapeHtml(k!)}</dt><dd>${escapeHtml(v!)}</dd>`)
    .join('');
  sendPage(
    res,
    200,
    t('link.title', { provider }),
    `<p>${text('link.confirm')}</p>` +
      `<dl id="identity">${details}</dl>` +
      `<form method="post" action="${ctx.basePath}/link"><input type="hidden" name="_csrf" value="${escapeHtml(ctx.csrfToken)}">` +
      `<button type="submit" name="action" value="confirm">${text('link.connect')}</button> ` +
      `<button type="submit" name="action" value="cancel">${text('link.cancel')}</button></form>`,
    locale,
    { form: true },
  );
}
