// "Ask for more" and "confirm it's you" in a real browser (issue 20, parts 1 and 2): the phone
// number page asks Kakao for the item only when it is needed (Kakao's additional consent, through
// the emulator's consent page), and the security page sends a sign-in that is too old back to
// the provider, which is asked to authenticate again, in Korean and in English.
import { chromium, type Browser, type Page } from 'playwright-core';
import { startExample } from '../src/example';
import { CHROMIUM, LAUNCH, maybe, shot } from './browser-kit';

jest.setTimeout(60_000);

/** How recent the security page wants the sign-in: short, so the test can outwait it. */
const RECENT_SECONDS = 3;

maybe('more consent and a fresh sign-in in a real browser', () => {
  let browser: Browser;
  let example: Awaited<ReturnType<typeof startExample>>;

  beforeAll(async () => {
    delete process.env.KAKAO_CLIENT_ID;
    delete process.env.NAVER_CLIENT_ID;
    example = await startExample({ port: 0, log: () => {}, recentLoginSeconds: RECENT_SECONDS });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await example?.stop();
  });

  /** Waits on the emulator's page and returns its URL (the authorization request). */
  const atEmulator = async (page: Page) => {
    await page.waitForURL((url) => url.origin === example.emulator!.origin);
    return new URL(page.url());
  };
  /** Picks the Kakao test account on the emulator's consent page. */
  const pick = (page: Page, id: string) =>
    page.locator(`input[name="user"][value="${id}"]`).check();
  const SEOYEON = '9007199254740993'; // has a phone number
  const DOHYUN = '3141592653';

  /** Lets the session's sign-in grow older than the security page accepts. */
  const outwait = (page: Page) => page.waitForTimeout(RECENT_SECONDS * 1000 + 300);

  test('in Korean: 전화번호 asked from Kakao when needed, 보안 설정 after signing in again', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await page.goto(example.url);
    await page.getByRole('link', { name: '카카오 로그인' }).click();
    await atEmulator(page);
    await pick(page, SEOYEON);
    await page.getByRole('button', { name: '동의하고 계속하기' }).click();
    await page.waitForURL(`${example.url}/profile`);

    await page.getByRole('link', { name: '전화번호' }).click();
    await expect(page.locator('#phone-state').textContent()).resolves.toBe(
      '아직 전화번호를 제공하지 않았어요. 카카오에서 먼저 동의를 받아요.',
    );
    await page.getByRole('link', { name: '카카오에서 전화번호 제공하기' }).click();
    const ask = await atEmulator(page);
    // Kakao's additional consent: only the new item (with openid when the app signs in with it).
    expect(ask.searchParams.get('scope')).toBe('phone_number');
    const items = await page.locator('label.item').allInnerTexts();
    expect(items.map((i) => i.trim())).toEqual(['휴대전화번호 phone_number']);
    await shot(page, 'ko-consent-more');
    await pick(page, SEOYEON);
    await page.getByRole('button', { name: '동의하고 계속하기' }).click();
    await page.waitForURL(`${example.url}/phone`);
    await expect(page.locator('#phone').textContent()).resolves.toBe('+82 10-2345-6789');
    await shot(page, 'ko-phone');

    await outwait(page);
    await page.getByRole('link', { name: '보안 설정' }).click();
    const again = await atEmulator(page);
    expect(again.searchParams.get('prompt')).toBe('login'); // Kakao: sign in again
    await pick(page, SEOYEON);
    await page.getByRole('button', { name: '동의하고 계속하기' }).click();
    await page.waitForURL(`${example.url}/security`);
    await expect(page.locator('#confirmed').textContent()).resolves.toBe('본인 확인을 마쳤어요.');
    await shot(page, 'ko-security');
    // The phone number stays granted: the fresh sign-in asked for less, and removed nothing.
    await page.getByRole('link', { name: '전화번호' }).click();
    await expect(page.locator('#phone').textContent()).resolves.toBe('+82 10-2345-6789');
    await context.close();
  });

  test('in English: a declined consent changes nothing; Naver asked to reauthenticate', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(example.url);
    await page.getByRole('link', { name: 'Sign in with Kakao' }).click();
    await atEmulator(page);
    await pick(page, DOHYUN);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`${example.url}/profile`);
    await page.getByRole('link', { name: 'Phone number' }).click();
    await page.getByRole('link', { name: 'Share my phone number from Kakao' }).click();
    await atEmulator(page);
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL(/error=access_denied/);
    await expect(page.locator('h1').textContent()).resolves.toBe('Sign-in cancelled');
    await shot(page, 'en-consent-declined');
    await page.goto(`${example.url}/phone`);
    await expect(page.locator('#phone-state').textContent()).resolves.toBe(
      'You have not shared your phone number yet. Kakao asks you first.',
    );
    // Still signed in, as the same user: the page is the signed-in one.
    await expect(page.locator('h1').textContent()).resolves.toBe('Phone number');
    await context.close();

    const laptop = await browser.newContext({ locale: 'en-US' });
    const en = await laptop.newPage();
    await en.goto(example.url);
    await en.getByRole('link', { name: 'Sign in with Naver' }).click();
    await atEmulator(en);
    await en.getByRole('button', { name: 'Approve' }).click();
    await en.waitForURL(`${example.url}/profile`);
    await en.getByRole('link', { name: 'Phone number' }).click();
    await expect(en.locator('#phone-state').textContent()).resolves.toBe(
      'Connect a Kakao account to share your phone number from Kakao.',
    );
    await outwait(en);
    await en.getByRole('link', { name: 'Security' }).click();
    const again = await atEmulator(en);
    expect(again.searchParams.get('auth_type')).toBe('reauthenticate');
    await en.getByRole('button', { name: 'Approve' }).click();
    await en.waitForURL(`${example.url}/security`);
    await expect(en.locator('#confirmed').textContent()).resolves.toBe("You confirmed it's you.");
    await shot(en, 'en-security');
    await laptop.close();
  });
});
