import { approveConsentResponse, parseForm } from './approve';
import type { ConsentItem, ProviderName } from './types';

/**
 * What {@link Emulator.signIn} and {@link Emulator.signInPage} sign in with.
 *
 * @example
 * ```ts
 * const options: SignInOptions = { provider: 'kakao', user: 'Seoyeon', app: '/auth', next: '/me' };
 * ```
 */
export interface SignInOptions {
  provider: ProviderName;
  /**
   * The test account: its key (`sub`, `key` or `id`) or a word of its name or email shown on the
   * consent page ('kim', 'minji'). Absent: the first account.
   */
  user?: string;
  /** The app's socialAuth base path; defaults to '/auth'. */
  app?: string;
  /** Where the app sends the browser after sign-in (`?next=`). */
  next?: string;
  /** Consent items to decline (Naver and Kakao). */
  decline?: readonly ConsentItem[];
}

/**
 * The part of a supertest agent (`request.agent(app)`) that {@link Emulator.signIn} uses: GET
 * without following redirects, keeping cookies in its jar.
 *
 * @example
 * ```ts
 * const agent: SignInAgent = request.agent(app);
 * ```
 */
export interface SignInAgent {
  get(path: string): PromiseLike<AgentResponse>;
  /** For a provider that answers by form POST (Apple): `post(path).type('form').send(body)`. */
  post(path: string): {
    type(type: 'form'): { send(body: string): PromiseLike<AgentResponse> };
  };
}

interface AgentResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text?: string;
}

/**
 * The part of a Playwright `Page` that {@link Emulator.signInPage} uses.
 *
 * @example
 * ```ts
 * const page: SignInPage = await browser.newPage();
 * ```
 */
export interface SignInPage {
  goto(url: string): Promise<unknown>;
  check(selector: string): Promise<void>;
  uncheck(selector: string): Promise<void>;
  click(selector: string): Promise<void>;
  waitForURL(url: (url: URL) => boolean): Promise<void>;
}

/** How a sign-in ended: the app's callback answer and where it sends the browser. */
export interface SignInResult {
  status: number;
  location?: string;
}

function startPath(options: SignInOptions): string {
  const base = (options.app ?? '/auth').replace(/\/$/, '');
  const next = options.next === undefined ? '' : `?next=${encodeURIComponent(options.next)}`;
  return `${base}/${options.provider}${next}`;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The supertest walk: start, consent as the user over HTTP, callback, all through the agent. */
export async function signInAgent(
  agent: SignInAgent,
  options: SignInOptions,
): Promise<SignInResult> {
  const started = await agent.get(startPath(options));
  const authorize = header(started.headers.location);
  if (started.status < 300 || started.status >= 400 || !authorize) {
    throw new Error(`GET ${startPath(options)} answered ${started.status}, not a redirect`);
  }
  const answer = await approveConsentResponse(authorize, {
    user: options.user,
    decline: options.decline,
  });
  const back = new URL(answer.url);
  let callback =
    answer.method === 'GET'
      ? await agent.get(back.pathname + back.search)
      : await agent.post(back.pathname).type('form').send(answer.form.toString());
  // An app may answer a cross-site form POST with a page that posts it again from its own
  // origin (socialauth does, for its SameSite=Lax cookie): submitted as a browser would.
  const again =
    answer.method === 'POST' && callback.status === 200 ? resubmitForm(callback.text) : undefined;
  if (again) callback = await agent.post(back.pathname).type('form').send(again);
  return { status: callback.status, location: header(callback.headers.location) };
}

/**
 * The Playwright walk: opens the app's start route at `appURL`, chooses the account (its consent
 * value, resolved by the emulator) on the real consent page, unchecks declined items, approves,
 * and waits until the browser is back on the app past the callback.
 */
export async function signInBrowser(
  page: SignInPage,
  options: SignInOptions & { appURL: string },
  accountValue: string | undefined,
): Promise<void> {
  const app = new URL(options.appURL);
  await page.goto(new URL(startPath(options), app).href);
  if (accountValue !== undefined) {
    await page.check(`input[name="user"][value="${accountValue.replace(/"/g, '\\"')}"]`);
  }
  for (const item of options.decline ?? []) {
    await page.uncheck(`input[name="item"][value="${item}"]`);
  }
  await page.click('button[value="approve"]');
  await page.waitForURL((url) => url.origin === app.origin && !url.pathname.endsWith('/callback'));
}

/** The hidden fields of a page's POST form, form-encoded, when the page has one. */
function resubmitForm(html: string | undefined): string | undefined {
  if (!html || !/<form\b[^>]*method="post"/i.test(html)) return undefined;
  const form = parseForm(html);
  return form && new URLSearchParams(form.hidden).toString();
}
