import type { NextFunction, Request, RequestHandler, Response } from 'express';
import {
  CONSENT_TEXTS,
  consentLocale,
  type ConsentLocale,
  type ProviderConsentTexts,
} from './consent-text';
import { escapeHtml, page, sendErrorPage, sendHtml } from './html';
import { readForm, redirect } from './http';
import { ExpiringMap, randomToken, type Clock } from './state';
import type { ConsentItem, EmulatorEndpoint, ProviderName } from './types';

export type { ConsentItem } from './types';

export const CONSENT_PATH = '/__emulator/consent';
const CONSENT_TTL_MS = 10 * 60 * 1000;

export interface ConsentUser {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
}

/** `granted`: the items left checked, a subset of the request's `items`. */
export type ConsentDecision =
  { approved: true; userId: string; granted: readonly ConsentItem[] } | { approved: false };

/**
 * An authorization response delivered by a form POST to the client's redirect_uri (OAuth 2.0
 * Form Post Response Mode §2), as Sign in with Apple answers: the consent page's answer is then
 * a page that posts `fields` to `action` by itself.
 */
export interface FormPost {
  readonly action: string;
  readonly fields: Readonly<Record<string, string | undefined>>;
}

/** What a provider hands over once it has validated an authorization request. */
export interface ConsentRequest {
  readonly provider: ProviderName;
  readonly appName: string;
  readonly scopes: readonly { scope: string; description?: string }[];
  /** Declinable items, shown as checkboxes checked by default (Naver and Kakao only). */
  readonly items?: readonly { item: ConsentItem; label: string; scope?: string }[];
  readonly users: readonly ConsentUser[];
  readonly selectedUserId?: string;
  /**
   * Where the browser goes next: the client's redirect_uri with a code or an error, as a URL to
   * redirect to, or a {@link FormPost}.
   */
  complete(decision: ConsentDecision): string | FormPost | Promise<string | FormPost>;
}

/** Counts a request to a provider's endpoint, applies any queued fault, then calls `proceed`. */
export type Gate = (
  provider: ProviderName,
  endpoint: EmulatorEndpoint,
  res: Response,
  proceed: () => void,
) => void;

/**
 * The account chooser and consent screen every provider shares. The pending request stays on
 * the server under an unguessable, single-use `tx` id, so the form carries nothing the browser
 * could tamper with (redirect_uri, scopes, PKCE challenge).
 */
export class ConsentFlow {
  private readonly pending: ExpiringMap<ConsentRequest>;

  /** `texts`: each provider's own consent texts, by provider name. */
  constructor(
    now: Clock,
    private readonly gate: Gate,
    private readonly texts: ReadonlyMap<ProviderName, ProviderConsentTexts>,
  ) {
    this.pending = new ExpiringMap(now);
  }

  show(res: Response, request: ConsentRequest): void {
    const tx = randomToken();
    this.pending.set(tx, request, CONSENT_TTL_MS);
    // As the providers do, the page follows the browser's language (Accept-Language).
    const locale = consentLocale(res.req.headers['accept-language']);
    res.set({ 'Content-Language': locale, Vary: 'Accept-Language' });
    sendHtml(res, 200, renderConsentPage(tx, request, locale, this.texts.get(request.provider)));
  }

  readonly handler: RequestHandler = async (req: Request, res: Response, next: NextFunction) => {
    const form = await readForm(req);
    const params = form.ok ? form.params : undefined;
    const request = this.pending.take(params?.get('tx') ?? '');
    const named = params?.get('provider');
    const provider = request?.provider ?? [...this.texts.keys()].find((name) => name === named);
    const answer = () => void this.answer(res, form, request).catch(next);
    if (provider) this.gate(provider, 'consent', res, answer);
    else answer();
  };

  private async answer(
    res: Response,
    form: Awaited<ReturnType<typeof readForm>>,
    request: ConsentRequest | undefined,
  ): Promise<void> {
    if (!form.ok) return sendErrorPage(res, 400, 'invalid_request', form.description);
    if (!request) {
      const message = 'This sign-in request has expired or was already used. Start again.';
      return sendErrorPage(res, 400, 'invalid_request', message);
    }
    const action = form.params.get('action');
    if (action === 'deny') return respond(res, await request.complete({ approved: false }));
    if (action !== 'approve') {
      return sendErrorPage(res, 400, 'invalid_request', 'Choose Approve or Deny.');
    }
    const userId = form.params.get('user');
    if (!userId || !request.users.some((user) => user.id === userId)) {
      return sendErrorPage(res, 400, 'invalid_request', 'Choose one of the listed accounts.');
    }
    // An unchecked checkbox is not submitted at all (HTML §4.10.21.4): absent means declined.
    const checked = new Set(form.params.getAll('item'));
    const granted = (request.items ?? []).map(({ item }) => item).filter((i) => checked.has(i));
    respond(res, await request.complete({ approved: true, userId, granted }));
  }
}

function respond(res: Response, next: string | FormPost): void {
  if (typeof next === 'string') redirect(res, next);
  else sendFormPost(res, next);
}

/**
 * The page a provider answers with in form_post mode: a form of hidden fields that its one
 * script submits at once, with a button for a browser without scripts. Like the provider's, it
 * sets no `form-action`: the client's redirects after the POST are its own.
 */
export function sendFormPost(res: Response, post: FormPost): void {
  const nonce = randomToken();
  const inputs = Object.entries(post.fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => {
      return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
    })
    .join('\n');
  sendHtml(
    res,
    200,
    page(
      'Continue',
      `<form id="post" method="post" action="${escapeHtml(post.action)}">\n${inputs}\n` +
        `<button type="submit">Continue</button>\n</form>\n` +
        `<script nonce="${nonce}">document.getElementById('post').submit()</script>`,
    ),
    `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; frame-ancestors 'none'`,
  );
}

export function renderConsentPage(
  tx: string,
  request: ConsentRequest,
  locale: ConsentLocale = 'en',
  own?: ProviderConsentTexts,
): string {
  const text = CONSENT_TEXTS[locale];
  const ownScopes = own?.scopes?.[locale] ?? {};
  const selected = request.selectedUserId ?? request.users[0]?.id;
  const users = request.users
    .map((user) => {
      const checked = user.id === selected ? ' checked' : '';
      const email = user.email ? ` <span class="email">${escapeHtml(user.email)}</span>` : '';
      return (
        `<label class="user"><input type="radio" name="user" value="${escapeHtml(user.id)}"` +
        `${checked} required> <span class="name">${escapeHtml(user.name)}</span>${email}</label>`
      );
    })
    .join('\n');
  const scopes = request.scopes
    .map(({ scope, description }) => {
      const said = ownScopes[scope] ?? text.scopes[scope] ?? description;
      return `<li>${said ? `${escapeHtml(said)} ` : ''}<code>${escapeHtml(scope)}</code></li>`;
    })
    .join('\n');
  const app = `<strong>${escapeHtml(request.appName)}</strong>`;
  const intro = text.intro(own?.label[locale] ?? request.provider, app, scopes !== '');
  return page(
    text.title(request.appName),
    `<h1>${text.title(app)}</h1>
<p>${intro}</p>${scopes ? `\n<ul class="scopes">\n${scopes}\n</ul>` : ''}
<form method="post" action="${CONSENT_PATH}">
<input type="hidden" name="tx" value="${escapeHtml(tx)}">
<input type="hidden" name="provider" value="${escapeHtml(request.provider)}">
<fieldset>
<legend>${text.chooseAccount}</legend>
${users || `<p>${text.noAccounts}</p>`}
</fieldset>
${renderItems(request, locale, own)}<button type="submit" name="action" value="approve">${text.approve}</button>
<button type="submit" name="action" value="deny" formnovalidate>${text.deny}</button>
</form>`,
    locale,
  );
}

function renderItems(
  request: ConsentRequest,
  locale: ConsentLocale,
  own: ProviderConsentTexts | undefined,
): string {
  const items = request.items ?? [];
  if (items.length === 0) return '';
  const text = CONSENT_TEXTS[locale];
  const boxes = items.map(({ item, label, scope }) => {
    const code = scope ? ` <code>${escapeHtml(scope)}</code>` : '';
    const said = own?.itemLabels?.[locale]?.[item] || text.itemLabels[item] || label;
    return `<label class="item"><input type="checkbox" name="item" value="${item}" checked> ${escapeHtml(said)}${code}</label>`;
  });
  return `<fieldset class="items">
<legend>${text.items}</legend>
${boxes.join('\n')}
</fieldset>
`;
}
