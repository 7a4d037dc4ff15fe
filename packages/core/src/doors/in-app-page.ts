import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { ResolvedConfig } from '../config';
import type { ProviderPlugin } from '../contract';
import { externalOpenURL, type InAppBrowser } from '../flow/in-app';
import { escapeHtml, pageTexts, sendPage } from './http';

/**
 * The page a sign-in at a provider that refuses in-app browsers (Google) gets inside one: why,
 * a button that opens the same sign-in in the phone's own browser where the app lets a page do
 * that (KakaoTalk, LINE, Android), otherwise one sentence on how, and a copy-link button either
 * way; then the other providers, which do sign in here. Nothing is stored: the sign-in starts
 * afresh in the other browser, from the same URL (`next` and the rest of the query with it),
 * so its state lives in that browser's session.
 */
export function sendInAppPage(
  req: Request,
  res: Response,
  config: Pick<ResolvedConfig, 'locale' | 'messages' | 'baseURL' | 'basePath' | 'providers'>,
  plugin: ProviderPlugin,
  browser: InAppBrowser,
): void {
  const { t, locale } = pageTexts(req, config);
  const here = new URL(req.originalUrl, config.baseURL).href;
  const open = externalOpenURL(browser, here);
  const nonce = randomBytes(16).toString('base64');
  const next = typeof req.query.next === 'string' ? req.query.next : undefined;
  const others = config.providers
    .filter((p) => !p.refusesInAppBrowsers)
    .map((p) => {
      const href = `${config.basePath}/${p.id}${next === undefined ? '' : `?next=${encodeURIComponent(next)}`}`;
      return `<li><a href="${escapeHtml(href)}">${escapeHtml(p.name)}</a></li>`;
    })
    .join('');
  // Only this page's one script runs (the copy button); the link works without it.
  res.set(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`,
  );
  const how = browser.os === 'ios' ? t('inApp.howIos') : t('inApp.how');
  sendPage(
    res,
    200,
    t('inApp.title'),
    `<p id="why">${escapeHtml(t('inApp.why', { provider: plugin.name, app: browser.name[locale] }))}</p>` +
      (open
        ? `<p><a id="open" href="${escapeHtml(open)}" style="display:inline-block;padding:.6rem 1rem;background:#1a73e8;color:#fff;border-radius:.4rem;text-decoration:none">${escapeHtml(t('inApp.open'))}</a></p>`
        : `<p id="how">${escapeHtml(how)}</p>`) +
      `<p><input id="link" readonly value="${escapeHtml(here)}" style="width:100%" aria-label="URL"> ` +
      `<button id="copy" type="button">${escapeHtml(t('inApp.copy'))}</button> <span id="copied" hidden>${escapeHtml(t('inApp.copied'))}</span></p>` +
      (others ? `<p>${escapeHtml(t('page.otherWays'))}</p><ul id="others">${others}</ul>` : '') +
      `<script nonce="${nonce}">(function(){var b=document.getElementById('copy'),i=document.getElementById('link'),d=document.getElementById('copied');` +
      `b.addEventListener('click',function(){var done=function(){d.hidden=false};` +
      `if(navigator.clipboard&&navigator.clipboard.writeText){navigator.clipboard.writeText(i.value).then(done,function(){i.select();document.execCommand('copy');done()})}` +
      `else{i.select();document.execCommand('copy');done()}})})()</script>`,
    locale,
  );
}
