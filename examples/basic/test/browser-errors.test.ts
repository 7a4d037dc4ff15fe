// Issue 17, item 1: every error page socialauth renders, walked in a real browser in English and
// Korean: each code (and each diagnosed `login_expired` reason) gets its own words, never the
// generic "did not complete", says which code it is, and its one button leads back home.
import { ERROR_CODES } from '@socialauth/core';
import { chromium, type Browser } from 'playwright-core';
import { builtInMessages, type MessageKey } from '@socialauth/core/provider';
import { startExample } from '../src/example';
import { CHROMIUM, LAUNCH, maybe, shot } from './browser-kit';

jest.setTimeout(120_000);

maybe('every error page, in a real browser', () => {
  let browser: Browser;
  let example: Awaited<ReturnType<typeof startExample>>;
  beforeAll(async () => {
    delete process.env.GOOGLE_CLIENT_ID;
    example = await startExample({ port: 0, log: () => {} });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await example?.stop();
  });

  test.each([
    ['en', 'en-US'],
    ['ko', 'ko-KR'],
  ] as const)(
    'each code and reason has its page, and Back leads home (%s)',
    async (lang, locale) => {
      const t = (key: MessageKey) => builtInMessages[lang][key];
      const reasons = Object.keys(builtInMessages.en)
        .filter((key) => key.startsWith('reason.'))
        .map((key) => key.slice('reason.'.length));
      const context = await browser.newContext({ locale });
      const page = await context.newPage();
      // A provider's refusal (token_exchange_failed) says what to do in place of the code's text.
      const refusals = [
        'client_rejected',
        'redirect_mismatch',
        'scope_not_configured',
        'code_used',
        'provider_down',
      ];
      const cases: [string, string?][] = [
        ...Object.keys(ERROR_CODES).map((code): [string] => [code]),
        ...reasons.map((reason): [string, string] =>
          refusals.includes(reason) ? ['token_exchange_failed', reason] : ['login_expired', reason],
        ),
      ];
      for (const [code, reason] of cases) {
        const query = `error=${code}${reason ? `&reason=${reason}` : ''}`;
        const res = await page.goto(`${example.url}/auth/error?${query}`);
        expect(res?.status()).toBe(200);
        await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
        await expect(page.locator('#code').textContent()).resolves.toBe(code);
        const message = await page.locator('#message').textContent();
        const refusal = reason !== undefined && refusals.includes(reason);
        expect(message).toBe(
          refusal
            ? t(`reason.${reason}` as MessageKey)
            : t(`error.${code as keyof typeof ERROR_CODES}`),
        );
        expect(message).not.toBe(t('error.unknown'));
        if (reason && !refusal) {
          await expect(page.locator('#reason').textContent()).resolves.toBe(
            t(`reason.${reason}` as MessageKey),
          );
        }
        expect((await page.locator('h1').textContent())?.length).toBeGreaterThan(0);
        await page.locator('#back').click();
        await page.waitForURL(`${example.url}/`);
      }
      await page.goto(`${example.url}/auth/error?error=signup_closed`);
      await shot(page, `${lang}-error-signup-closed`);
      // An unknown code is the generic page, not an echo of the query.
      await page.goto(`${example.url}/auth/error?error=%3Cscript%3E`);
      await expect(page.locator('#message').textContent()).resolves.toBe(t('error.unknown'));
      await expect(page.locator('#code').count()).resolves.toBe(0);
      await context.close();
    },
  );
});
