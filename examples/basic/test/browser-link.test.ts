// Issue 17, item 1: the pending-link page pressed as a person would, in English and Korean, and
// sign-out on every device from two browsers. Before the fix, Confirm always ended in
// `csrf_failed`: the page's `Referrer-Policy: no-referrer` made Chromium send `Origin: null`.
import { DEFAULT_USERS, startEmulator, type Emulator } from '@socialauth/emulator';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startExample } from '../src/example';
import { CHROMIUM, LAUNCH, maybe, shot } from './browser-kit';

jest.setTimeout(90_000);

// A Google account with the same verified email as Naver's `minji`: Naver is not trusted for
// email, so minji's Naver sign-in asks the owner of the Google account to confirm the link.
const MINJI_GOOGLE = {
  sub: '104834925480000000077',
  email: 'minji.kim@naver.com',
  email_verified: true,
  name: 'Minji Kim',
};
const TEXT = {
  en: {
    google: 'Sign in with Google',
    naver: 'Sign in with Naver',
    approve: 'Approve',
    confirmNaver: 'Connect Naver',
    cancel: 'Cancel',
    linkTitle: (p: string) => `Connect ${p}`,
    logOut: 'Log out',
    everywhere: 'Log out on every device',
  },
  ko: {
    google: 'Google 계정으로 로그인',
    naver: '네이버 로그인',
    approve: '동의하고 계속하기',
    confirmNaver: '연결하기',
    cancel: '취소',
    linkTitle: (p: string) => `${p} 계정 연결`,
    logOut: '로그아웃',
    everywhere: '모든 기기에서 로그아웃',
  },
} as const;

maybe('pending link, confirm and cancel, sign-out everywhere, in a real browser', () => {
  let browser: Browser;
  let emulator: Emulator;
  let example: Awaited<ReturnType<typeof startExample>>;

  beforeAll(async () => {
    delete process.env.GOOGLE_CLIENT_ID;
    emulator = await startEmulator({
      port: 0,
      users: {
        google: [...DEFAULT_USERS.google, MINJI_GOOGLE],
      },
    });
    example = await startExample({
      port: 0,
      emulatorPort: Number(new URL(emulator.origin).port),
      log: () => {},
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await example?.stop();
    await emulator?.stop();
  });

  /** Home -> provider -> consent (as `user`) -> back on this site. */
  async function signIn(page: Page, button: string, user: string, approve: string) {
    await page.goto(example.url);
    await page.getByRole('link', { name: button }).click();
    await page.waitForURL((url) => url.origin === emulator.origin);
    await page.locator(`input[type=radio][value="${user}"]`).check();
    await page.getByRole('button', { name: approve }).click();
    await page.waitForURL((url) => url.origin === example.url);
  }

  async function logOut(page: Page, label: string) {
    await page.goto(`${example.url}/profile`);
    await page.getByRole('button', { name: label, exact: true }).click();
    await page.waitForURL(`${example.url}/`);
  }

  /**
   * The account exists through Google; Naver's minji has the same email, so her Naver sign-in
   * lands on the pending-link page, signed out. Returns a page of a browser in `lang` there.
   */
  async function pendingLink(lang: keyof typeof TEXT) {
    const t = TEXT[lang];
    const context = await browser.newContext({ locale: lang === 'ko' ? 'ko-KR' : 'en-US' });
    const page = await context.newPage();
    await signIn(page, t.google, MINJI_GOOGLE.sub, t.approve);
    await page.waitForURL(`${example.url}/profile`);
    await logOut(page, t.logOut);
    await signIn(page, t.naver, 'minji', t.approve);
    await page.waitForURL(`${example.url}/auth/link`);
    return { t, context, page };
  }

  test.each([['en' as const], ['ko' as const]])(
    'Cancel leaves the Naver account unlinked (%s)',
    async (lang) => {
      const { t, context, page } = await pendingLink(lang);
      await page.getByRole('link', { name: t.google }).click();
      await page.locator(`input[type=radio][value="${MINJI_GOOGLE.sub}"]`).check();
      await page.getByRole('button', { name: t.approve }).click();
      await page.waitForURL(`${example.url}/auth/link`);
      await page.getByRole('button', { name: t.cancel }).click();
      await page.waitForURL(`${example.url}/profile`);
      await expect(page.locator('#linked').textContent()).resolves.not.toMatch(/Naver|네이버/);
      // The link is spent: its page now leads back into the app.
      await page.goto(`${example.url}/auth/link`);
      await page.waitForURL(`${example.url}/profile`);
      await shot(page, `${lang}-link-cancelled`);
      await logOut(page, t.logOut);
      await context.close();
    },
  );

  test.each([['en' as const], ['ko' as const]])(
    'Confirm links the Naver account after signing in the way used before (%s)',
    async (lang) => {
      const { t, context, page } = await pendingLink(lang);
      await expect(page.locator('h1').textContent()).resolves.toBe(t.linkTitle('Naver'));
      await shot(page, `${lang}-link-signed-out`);

      // "Sign in the way you used before": Google, bound to this link.
      await page.getByRole('link', { name: t.google }).click();
      await page.waitForURL((url) => url.origin === emulator.origin);
      await page.locator(`input[type=radio][value="${MINJI_GOOGLE.sub}"]`).check();
      await page.getByRole('button', { name: t.approve }).click();
      await page.waitForURL(`${example.url}/auth/link`);
      // The confirmation names the identity; the matching account's email is not shown whole.
      await expect(page.locator('#identity').innerText()).resolves.toContain('Naver');
      await shot(page, `${lang}-link-confirm`);

      const posted = page.waitForRequest(
        (r) => r.method() === 'POST' && r.url() === `${example.url}/auth/link`,
      );
      await page.getByRole('button', { name: t.confirmNaver }).click();
      // The browser sends its real origin, and the strict Origin check lets it through.
      expect((await posted).headers().origin).toBe(example.url);
      await page.waitForURL(`${example.url}/profile`);
      await expect(page.locator('#linked').textContent()).resolves.toMatch(
        /Google.*(Naver|네이버)/,
      );
      await shot(page, `${lang}-link-confirmed`);

      // Naver alone now signs the same user in.
      await logOut(page, t.logOut);
      await signIn(page, t.naver, 'minji', t.approve);
      await page.waitForURL(`${example.url}/profile`);
      await expect(page.locator('#email').textContent()).resolves.toBe(MINJI_GOOGLE.email);
      await expect(page.locator('#linked').textContent()).resolves.toMatch(
        /Google.*(Naver|네이버)/,
      );
      // Undo for the next language: Naver is disconnected again.
      await page.goto(`${example.url}/connections`);
      const disconnect = lang === 'ko' ? '네이버 연결 해제' : 'Disconnect Naver';
      await page.getByRole('button', { name: disconnect }).click();
      await page.waitForURL(`${example.url}/connections`);
      await logOut(page, t.logOut);
      await context.close();
    },
  );

  test.each([['en' as const], ['ko' as const]])(
    'Log out on every device ends the other browser’s session too (%s)',
    async (lang) => {
      const t = TEXT[lang];
      const locale = lang === 'ko' ? 'ko-KR' : 'en-US';
      const devices: BrowserContext[] = [
        await browser.newContext({ locale }),
        await browser.newContext({ locale }),
      ];
      const [phone, laptop] = await Promise.all(devices.map((d) => d.newPage()));
      for (const page of [phone!, laptop!]) {
        await signIn(page, t.google, DEFAULT_USERS.google[1]!.sub, t.approve);
        await page.waitForURL(`${example.url}/profile`);
      }
      await laptop!.getByRole('button', { name: t.everywhere }).click();
      await laptop!.waitForURL(`${example.url}/`);
      await phone!.goto(`${example.url}/profile`);
      await phone!.waitForURL(/\/\?next=%2Fprofile$/);
      await shot(phone!, `${lang}-signed-out-everywhere`);
      for (const d of devices) await d.close();
    },
  );
});
