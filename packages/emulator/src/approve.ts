import type { ConsentItem } from './consent';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };

/** The entities pages escape with: named ones, and numeric ones (`&#34;`, as socialauth writes). */
function unescape(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39|#\d+);/g, (_match, name: string) =>
    name.startsWith('#') && !(name in ENTITIES)
      ? String.fromCharCode(Number(name.slice(1)))
      : (ENTITIES[name] ?? ''),
  );
}

function attributes(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const match of tag.matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)) {
    if (match[1]) attrs.set(match[1].toLowerCase(), unescape(match[2] ?? ''));
  }
  return attrs;
}

function text(html: string): string {
  return unescape(html.replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

interface Radio {
  value: string;
  label: string;
  checked: boolean;
}

/** The first form of a page: its action, hidden fields, checkboxes, radios and buttons. */
export function parseForm(html: string) {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form?.[2]) return undefined;
  const hidden: [string, string][] = [];
  for (const [tag] of form[2].matchAll(/<input\b[^>]*>/gi)) {
    const attrs = attributes(tag);
    const name = attrs.get('name');
    if (attrs.get('type') === 'hidden' && name) hidden.push([name, attrs.get('value') ?? '']);
  }
  const checkboxes: { name: string; value: string; checked: boolean }[] = [];
  for (const [tag] of form[2].matchAll(/<input\b[^>]*type="checkbox"[^>]*>/gi)) {
    const attrs = attributes(tag);
    const name = attrs.get('name');
    if (name)
      checkboxes.push({ name, value: attrs.get('value') ?? 'on', checked: attrs.has('checked') });
  }
  const radios: Radio[] = [];
  for (const [, inner = ''] of form[2].matchAll(/<label\b[^>]*>([\s\S]*?)<\/label>/gi)) {
    const input = /<input\b[^>]*type="radio"[^>]*>/i.exec(inner);
    if (!input) continue;
    const attrs = attributes(input[0]);
    radios.push({
      value: attrs.get('value') ?? '',
      label: text(inner),
      checked: attrs.has('checked'),
    });
  }
  const buttons = [...form[2].matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)].map(
    ([, attrs = '', label = '']) => ({ attrs: attributes(attrs), label: text(label) }),
  );
  const action = attributes(form[1] ?? '').get('action') ?? '';
  return { action, hidden, checkboxes, radios, buttons };
}

function pick(radios: readonly Radio[], user: string | undefined): Radio | undefined {
  if (user === undefined) return radios.find((radio) => radio.checked) ?? radios[0];
  const wanted = user.toLowerCase();
  return radios.find(
    (radio) => radio.value === user || radio.label.toLowerCase().split(' ').includes(wanted),
  );
}

/**
 * Signs in through the emulator's consent page over real HTTP, as a browser without JavaScript
 * would: GET the authorization URL, read the HTML form, choose an account, press Approve (or
 * Deny) and return the `Location` the emulator redirects to: the client's redirect_uri with
 * `code` and `state`, or with `error`. An authorization request that is answered with a redirect
 * straight away (for example `error=unsupported_response_type`) returns that Location.
 *
 * @param authorizeUrl - the full authorization URL your app redirected to
 * @param options.user - the account's `sub` (Google), `key` (Naver) or `id` (Kakao), its email, or
 *   a word of its name; default the preselected one (the first account unless `login_hint` or
 *   `hd` chose another)
 * @param options.deny - press Deny instead of Approve
 * @param options.decline - uncheck these optional items (Naver and Kakao): the provider then
 *   withholds them, as when a real user declines them
 * @throws Error with the page text when the request is rejected with an error page, or when an
 *   item to decline is not on the page
 *
 * @example
 * ```ts
 * const login = await request(app).get('/auth/google');
 * const callback = await approveConsent(login.headers.location, { user: 'alice.kim@gmail.com' });
 * const url = new URL(callback); // http://localhost:3000/auth/google/callback?code=...&state=...
 *
 * // A Naver user who shares neither an email address nor a profile picture:
 * await approveConsent(naverAuthorizeUrl, { user: 'minji', decline: ['email', 'profile_image'] });
 * ```
 */
export async function approveConsent(
  authorizeUrl: string,
  options: { user?: string; deny?: boolean; decline?: readonly ConsentItem[] } = {},
): Promise<string> {
  const answer = await approveConsentResponse(authorizeUrl, options);
  if (answer.method === 'GET') return answer.url;
  throw new Error(
    `The provider answered with a form POST to ${answer.url} (response_mode=form_post): ` +
      'use approveConsentResponse',
  );
}

/**
 * How the provider hands the authorization response back: a redirect to `url` (`GET`, the
 * parameters in its query), or a page that POSTs `form` to `url` (`POST`, OAuth 2.0 Form Post
 * Response Mode, as Sign in with Apple answers).
 */
export type AuthorizationResponse =
  { method: 'GET'; url: string } | { method: 'POST'; url: string; form: URLSearchParams };

/**
 * {@link approveConsent} for any response mode: the same walk through the consent page, then
 * the redirect's `Location`, or the action and fields of the page that posts the response (for
 * `response_mode=form_post`), as a browser would submit it.
 *
 * @example
 * ```ts
 * const answer = await approveConsentResponse(appleAuthorizeUrl, { user: 'minji' });
 * if (answer.method === 'POST') await agent.post(new URL(answer.url).pathname).type('form').send(answer.form.toString());
 * ```
 */
export async function approveConsentResponse(
  authorizeUrl: string,
  options: { user?: string; deny?: boolean; decline?: readonly ConsentItem[] } = {},
): Promise<AuthorizationResponse> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const early = page.headers.get('location');
  if (page.status >= 300 && page.status < 400 && early) return { method: 'GET', url: early };
  const html = await page.text();
  const form = page.ok ? parseForm(html) : undefined;
  if (!form) throw new Error(`Authorization request rejected (HTTP ${page.status}): ${text(html)}`);
  const body = new URLSearchParams(form.hidden);
  const radio = pick(form.radios, options.user);
  if (!options.deny && !radio) {
    const accounts = form.radios.map((r) => r.label).join('; ') || 'none';
    throw new Error(`No account matches ${options.user ?? 'the default'} (accounts: ${accounts})`);
  }
  if (radio) body.set('user', radio.value);
  const decline = new Set<string>(options.decline ?? []);
  for (const item of decline) {
    if (!form.checkboxes.some((box) => box.value === item)) {
      const items = form.checkboxes.map((box) => box.value).join(', ') || 'none';
      throw new Error(`The consent page has no item ${item} to decline (items: ${items})`);
    }
  }
  for (const box of form.checkboxes) {
    if (box.checked && !decline.has(box.value)) body.append(box.name, box.value);
  }
  const wanted = options.deny ? 'deny' : 'approve';
  // By value, not label: the label is in the page's language.
  const button = form.buttons.find(
    (b) => (b.attrs.get('value') ?? b.label.toLowerCase()) === wanted,
  );
  const name = button?.attrs.get('name');
  if (!button || !name) throw new Error(`The consent page has no ${wanted} button`);
  body.set(name, button.attrs.get('value') ?? '');
  const answer = await fetch(new URL(form.action, page.url || authorizeUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status >= 300 && answer.status < 400 && location)
    return { method: 'GET', url: location };
  const after = await answer.text();
  const post = answer.ok ? parseForm(after) : undefined;
  if (post) return { method: 'POST', url: post.action, form: new URLSearchParams(post.hidden) };
  throw new Error(`Consent was not accepted (HTTP ${answer.status}): ${text(after)}`);
}
