// Inside KakaoTalk, Instagram and the NAVER app (issue 21, part 1), in a real browser that
// sends their User-Agents: Google's button lands on a page that opens the sign-in in the phone's
// own browser (Google refuses in-app browsers), its copy button copies the start, and that start,
// opened in an ordinary browser, signs in and lands on `next`; Kakao signs in right there.
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { startExample } from '../src/example';
import { CHROMIUM, LAUNCH, maybe, shot } from './browser-kit';

jest.setTimeout(60_000);

const UA = {
  kakaotalk:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 KAKAOTALK 10.8.5',
  instagram:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 339.0.3.12.91 (iPhone15,3; iOS 17_5; ko_KR; ko; scale=3.00; 1290x2796; 619461904)',
  naverApp:
    'Mozilla/5.0 (Linux; Android 14; SM-S908N Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.134 Mobile Safari/537.36 NAVER(inapp; search; 2000; 12.7.1)',
};

maybe('sign-in inside in-app browsers, in a real browser', () => {
  let browser: Browser;
  let example: Awaited<ReturnType<typeof startExample>>;

  beforeAll(async () => {
    delete process.env.GOOGLE_CLIENT_ID;
    delete process.env.KAKAO_CLIENT_ID;
    example = await startExample({ port: 0, log: () => {} });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await example?.stop();
  });

  const inApp = (userAgent: string, locale: string): Promise<BrowserContext> =>
    browser.newContext({
      userAgent,
      locale,
      isMobile: true,
      viewport: { width: 390, height: 844 },
    });

  test('KakaoTalk (Korean): the way out, the copied start signing in elsewhere, Kakao right here', async () => {
    const context = await inApp(UA.kakaotalk, 'ko-KR');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: example.url,
    });
    const page = await context.newPage();
    await page.goto(example.url);
    await page.getByRole('link', { name: 'Google 계정으로 로그인' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('브라우저에서 열어 주세요');
    await expect(page.locator('#why').textContent()).resolves.toBe(
      '카카오톡 안에서는 Google 로그인을 할 수 없어요. 휴대폰의 브라우저에서 계속해 주세요.',
    );
    expect(example.emulator!.count('google', 'authorize')).toBe(0);
    const start = `${example.url}/auth/google?next=/profile`;
    await expect(page.locator('#open').getAttribute('href')).resolves.toBe(
      `kakaotalk://web/openExternal?url=${encodeURIComponent(start)}`,
    );
    await shot(page, 'ko-in-app-kakaotalk');

    await page.getByRole('button', { name: '링크 복사' }).click();
    // The clipboard answers asynchronously: wait for the page to say it copied.
    await page.locator('#copied').waitFor({ state: 'visible' });
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(start);
    // Pressing the button hands the link to KakaoTalk, which Chromium has no handler for: the
    // page stays, so a user in a KakaoTalk without the scheme can still copy the link.
    await page.getByRole('link', { name: '브라우저에서 열기' }).click();
    await page.waitForTimeout(200);
    expect(page.url()).toBe(start);

    // The phone's own browser opens the copied start: Google signs in, and `next` survived.
    const phone = await browser.newContext({ locale: 'ko-KR' });
    const outside = await phone.newPage();
    await outside.goto(copied);
    await outside.waitForURL((url) => url.origin === example.emulator!.origin);
    await outside.getByRole('button', { name: '동의하고 계속하기' }).click();
    await outside.waitForURL(`${example.url}/profile`);
    await expect(outside.locator('#provider').textContent()).resolves.toBe('Google');
    await phone.close();

    // Inside KakaoTalk, Kakao (listed on the page) signs in as usual. A fresh page: Chromium
    // keeps the one that tried the kakaotalk: link waiting on the app it could not find.
    const again = await context.newPage();
    await again.goto(start);
    await again.getByRole('link', { name: 'Kakao', exact: true }).click();
    await again.waitForURL((url) => url.origin === example.emulator!.origin);
    await again.getByRole('button', { name: '동의하고 계속하기' }).click();
    await again.waitForURL(`${example.url}/profile`);
    await expect(again.locator('#provider').textContent()).resolves.toBe('카카오');
    await context.close();
  });

  test("Kakao's auto-login inside KakaoTalk: the consent once, then no screen at all", async () => {
    const member = example.emulator!.users('kakao')[1]!.id; // not the account the test above used
    const context = await inApp(UA.kakaotalk, 'ko-KR');
    const page = await context.newPage();
    await page.goto(example.url);
    // Not a member yet: the silent try (prompt=none) comes back consent_required, and the usual
    // consent page follows at once.
    await page.getByRole('link', { name: '카카오 로그인' }).click();
    await page.waitForURL((url) => url.origin === example.emulator!.origin);
    expect(new URL(page.url()).searchParams.get('prompt')).toBeNull();
    await page.locator(`input[name="user"][value="${member}"]`).check();
    await page.getByRole('button', { name: '동의하고 계속하기' }).click();
    await page.waitForURL(`${example.url}/profile`);
    await page.getByRole('button', { name: '로그아웃', exact: true }).click();
    await page.waitForURL(`${example.url}/`);

    // KakaoTalk is signed in to that account, which agreed before: signed in without a screen.
    example.emulator!.inAppAccount('kakao', member);
    try {
      const screens: string[] = [];
      page.on('framenavigated', (frame) => {
        if (new URL(frame.url()).origin === example.emulator!.origin) screens.push(frame.url());
      });
      await page.getByRole('link', { name: '카카오 로그인' }).click();
      await page.waitForURL(`${example.url}/profile`);
      expect(screens).toEqual([]); // the emulator answered with redirects only
      await shot(page, 'ko-kakaotalk-auto-login');
    } finally {
      example.emulator!.inAppAccount('kakao', undefined);
    }
    await context.close();
  });

  test("Naver's 서비스 자동로그인 inside the NAVER app: the consent once, then no screen", async () => {
    const user = example.emulator!.users('naver')[0]!.key;
    const context = await inApp(UA.naverApp, 'ko-KR');
    const page = await context.newPage();
    await page.goto(example.url);
    // The NAVER app is not signed in here yet: Naver says so, and its consent page follows.
    await page.getByRole('link', { name: '네이버 로그인' }).click();
    await page.waitForURL((url) => url.origin === example.emulator!.origin);
    expect(new URL(page.url()).searchParams.get('auth_type')).toBeNull();
    await page.getByRole('button', { name: '동의하고 계속하기' }).click();
    await page.waitForURL(`${example.url}/profile`);
    await page.getByRole('button', { name: '로그아웃', exact: true }).click();
    await page.waitForURL(`${example.url}/`);

    example.emulator!.inAppAccount('naver', user);
    try {
      const screens: string[] = [];
      page.on('framenavigated', (frame) => {
        if (new URL(frame.url()).origin === example.emulator!.origin) screens.push(frame.url());
      });
      await page.getByRole('link', { name: '네이버 로그인' }).click();
      await page.waitForURL(`${example.url}/profile`);
      expect(screens).toEqual([]);
      await expect(page.locator('#provider').textContent()).resolves.toBe('네이버');
    } finally {
      example.emulator!.inAppAccount('naver', undefined);
    }
    await context.close();
  });

  test('Instagram (English, iOS): one sentence on how, and the copy button', async () => {
    const context = await inApp(UA.instagram, 'en-US');
    const page = await context.newPage();
    await page.goto(example.url);
    await page.getByRole('link', { name: 'Sign in with Google' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Open this in your browser');
    await expect(page.locator('#why').textContent()).resolves.toContain(
      'Google does not allow signing in inside Instagram',
    );
    await expect(page.locator('#how').textContent()).resolves.toContain('Safari');
    await expect(page.locator('#open').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Copy link' }).click();
    // The clipboard answers asynchronously: wait for the page to say it copied.
    await page.locator('#copied').waitFor({ state: 'visible' });
    await shot(page, 'en-in-app-instagram');
    await context.close();
  });

  test('the NAVER app (Korean, Android): an intent for the browser app', async () => {
    const context = await inApp(UA.naverApp, 'ko-KR');
    const page = await context.newPage();
    await page.goto(example.url);
    await page.getByRole('link', { name: 'Google 계정으로 로그인' }).click();
    await expect(page.locator('#why').textContent()).resolves.toContain('네이버 앱 안에서는');
    const href = await page.locator('#open').getAttribute('href');
    expect(href).toMatch(
      /^intent:\/\/localhost:\d+\/auth\/google\?next=\/profile#Intent;scheme=http;/,
    );
    await shot(page, 'ko-in-app-naver');
    await context.close();
  });
});
