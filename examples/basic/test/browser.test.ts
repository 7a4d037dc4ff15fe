import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startExample } from '../src/example';
import { CHROMIUM, LAUNCH, maybe, shot } from './browser-kit';

/** A provider subject id as Naver sends it: 40-odd characters of base64url. */
const RAW_ID = /[A-Za-z0-9_-]{40,}/;

// A real browser on a loaded 2-core CI machine: generous, but still bounded.
jest.setTimeout(60_000);

maybe('the example app in a real browser, against the emulator', () => {
  let browser: Browser;
  let example: Awaited<ReturnType<typeof startExample>>;

  beforeAll(async () => {
    delete process.env.GOOGLE_CLIENT_ID;
    example = await startExample({ port: 0, log: () => {} });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: LAUNCH,
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await example?.stop();
  });

  test('sign in with Google, see the profile, log out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(example.url);
    await page.getByRole('link', { name: 'Sign in with Google' }).click();

    // The emulator's consent page: plain HTML form.
    await page.waitForURL((url) => url.origin === example.emulator!.origin);
    const alice = example.emulator!.users('google')[0]!;
    await page.getByRole('button', { name: 'Approve' }).click();

    await page.waitForURL(`${example.url}/profile`);
    await expect(page.locator('#name').textContent()).resolves.toBe(alice.name);
    await expect(page.locator('#email').textContent()).resolves.toBe(alice.email);
    await expect(page.locator('#provider').textContent()).resolves.toBe('Google');
    await shot(page, 'en-profile');
    const avatarLoaded = await page
      .locator('img.avatar')
      .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
    expect(avatarLoaded).toBe(true);

    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'socialauth.sid')).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
    });

    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.waitForURL(`${example.url}/`);
    await expect(page.getByRole('link', { name: 'Sign in with Google' }).count()).resolves.toBe(1);
    await page.goto(`${example.url}/profile`);
    await page.waitForURL(/\/\?next=%2Fprofile$/);
    await context.close();
  });

  // Issue 10: a single-page app that uses only the JSON API (plain script, no build step).
  test('the SPA page signs in and out through the JSON API', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${example.url}/spa`);
    await expect(page.locator('#who').textContent()).resolves.toBe('Not signed in');
    await page.getByRole('button', { name: 'Sign in with Google' }).click();
    await page.waitForURL((url) => url.origin === example.emulator!.origin);
    const alice = example.emulator!.users('google')[0]!;
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`${example.url}/spa`);
    await page.waitForSelector('text=Signed in as');
    await expect(page.locator('#who').textContent()).resolves.toBe(
      `Signed in as ${alice.name} with Google`,
    );
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await page.waitForSelector('text=Not signed in');
    await context.close();
  });

  test.each([['Naver'], ['Kakao'], ['GitHub'], ['Microsoft'], ['LINE']])(
    'sign in with %s against its emulator',
    async (name) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(example.url);
      await page.getByRole('link', { name: `Sign in with ${name}` }).click();
      await page.waitForURL((url) => url.origin === example.emulator!.origin);
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.waitForURL(`${example.url}/profile`);
      await expect(page.locator('#provider').textContent()).resolves.toBe(name);
      await context.close();
    },
  );

  // Issue 19: Apple answers with a cross-site form POST, which leaves the SameSite=Lax cookie
  // behind; the callback answers with a page of the app that posts it again, same-site.
  test('sign in with Apple: the cross-site form POST, posted again from the app, with its cookie', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    const posts: { cookie: boolean; resubmitted: boolean; site?: string }[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'POST' || !request.url().endsWith('/auth/apple/callback')) return;
      void request.allHeaders().then((headers) =>
        posts.push({
          cookie: /socialauth\.sid=/.test(headers.cookie ?? ''),
          resubmitted: (request.postData() ?? '').includes('socialauth_resubmitted=1'),
          site: headers['sec-fetch-site'],
        }),
      );
    });
    await page.goto(example.url);
    await page.getByRole('link', { name: 'Apple로 로그인' }).click();
    await page.waitForURL((url) => url.origin === example.emulator!.origin);
    await page.locator('input[type=radio][value^="001234.9a1b"]').check();
    await shot(page, 'ko-apple-consent');
    await page.getByRole('button', { name: '동의하고 계속하기' }).click();
    await page.waitForURL(`${example.url}/profile`);
    await expect(page.locator('#name').textContent()).resolves.toBe('김민지');
    await expect(page.locator('#email').textContent()).resolves.toBe('minji.kim@icloud.com');
    await expect(page.locator('#provider').textContent()).resolves.toBe('Apple');
    await shot(page, 'ko-apple-profile');
    expect(posts).toEqual([
      { cookie: false, resubmitted: false, site: 'cross-site' },
      { cookie: true, resubmitted: true, site: 'same-origin' },
    ]);
    await context.close();
  });

  // Issue 20, part 3: the session list, with one sign-out button per session.
  test('Devices: sessions listed and signed out one by one, in Korean and in English', async () => {
    const laptop = await browser.newContext();
    const phone = await browser.newContext({ locale: 'ko-KR' });
    const signIn = async (page: Page, button: string, approve: string) => {
      await page.goto(example.url);
      await page.getByRole('link', { name: button }).click();
      await page.getByRole('button', { name: approve }).click();
      await page.waitForURL(`${example.url}/profile`);
    };
    // Its own user agent: the row that names it is the one to press.
    const tablet = await browser.newContext({ userAgent: 'Mozilla/5.0 (Tablet; socialauth test)' });
    const onLaptop = await laptop.newPage();
    const onPhone = await phone.newPage();
    const onTablet = await tablet.newPage();
    await signIn(onLaptop, 'Sign in with Google', 'Approve');
    await signIn(onPhone, 'Google 계정으로 로그인', '동의하고 계속하기');
    await signIn(onTablet, 'Sign in with Google', 'Approve');

    await onPhone.getByRole('link', { name: '로그인 기기' }).click();
    await onPhone.waitForURL(`${example.url}/sessions`);
    await expect(onPhone.locator('h1').textContent()).resolves.toBe('로그인한 기기');
    await expect(onPhone.locator('li.session').count()).resolves.toBe(3);
    // In Korean: the phone signs the tablet out.
    const tabletRow = onPhone.locator('li.session', { hasText: 'socialauth test' });
    await tabletRow.getByRole('button', { name: '로그아웃' }).click();
    await onPhone.waitForURL(`${example.url}/sessions`);
    await expect(onPhone.locator('li.session').count()).resolves.toBe(2);
    await onTablet.goto(`${example.url}/profile`);
    await onTablet.waitForURL(/\/\?next=%2Fprofile$/);
    await expect(onPhone.locator('li.session.current .current').textContent()).resolves.toBe(
      '(지금 이 기기)',
    );
    await shot(onPhone, 'ko-sessions');

    await onLaptop.goto(`${example.url}/sessions`);
    await expect(onLaptop.locator('h1').textContent()).resolves.toBe('Where you are signed in');
    const other = onLaptop.locator('li.session:not(.current)');
    await other.getByRole('button', { name: 'Sign out' }).click();
    await onLaptop.waitForURL(`${example.url}/sessions`);
    await expect(onLaptop.locator('li.session').count()).resolves.toBe(1);
    await shot(onLaptop, 'en-sessions');

    // The phone's session ended on the spot: its next page asks it to sign in.
    await onPhone.goto(`${example.url}/profile`);
    await onPhone.waitForURL(/\/\?next=%2Fprofile$/);
    await laptop.close();
    await phone.close();
    await tablet.close();
  });

  // Issue 20, part 5: the user's data as a download, from the profile page.
  test('Download my data (내 데이터 내려받기): the export, without tokens', async () => {
    const context = await browser.newContext({ locale: 'ko-KR', acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(example.url);
    await page.getByRole('link', { name: 'Google 계정으로 로그인' }).click();
    await page.getByRole('button', { name: '동의하고 계속하기' }).click();
    await page.waitForURL(`${example.url}/profile`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '내 데이터 내려받기' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('account.json');
    const text = await readFile((await download.path())!, 'utf8');
    const data = JSON.parse(text) as { user: { email?: string }; identities: unknown[] };
    expect(data.user.email).toBe(example.emulator!.users('google')[0]!.email);
    expect(data.identities).toHaveLength(1);
    expect(text).not.toMatch(/ya29\.|"accessToken"|"refreshToken"/);
    await context.close();

    // The same link in English.
    const english = await browser.newContext({ acceptDownloads: true });
    const en = await english.newPage();
    await en.goto(example.url);
    await en.getByRole('link', { name: 'Sign in with Google' }).click();
    await en.getByRole('button', { name: 'Approve' }).click();
    await en.waitForURL(`${example.url}/profile`);
    const [again] = await Promise.all([
      en.waitForEvent('download'),
      en.getByRole('link', { name: 'Download my data' }).click(),
    ]);
    expect(again.suggestedFilename()).toBe('account.json');
    await english.close();
  });

  test('Connections: link Google, Naver and Kakao to one user, call their APIs, unlink to the last', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(example.url);
    await page.getByRole('link', { name: 'Sign in with Google' }).click();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`${example.url}/profile`);
    await page.goto(`${example.url}/connections`);
    // Users the earlier tests did not sign in with: theirs are other users' identities now.
    for (const [name, user] of [
      ['Naver', 'junho'],
      ['Kakao', '3141592653'],
    ]) {
      await page.getByRole('button', { name: `Connect ${name}` }).click();
      await page.locator(`input[type=radio][value="${user}"]`).check();
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.waitForURL(`${example.url}/connections`);
    }
    await expect(page.locator('li.connection.on').count()).resolves.toBe(3);
    // Issue 13, row 7: an email or a masked id, never Naver's 43-character raw id.
    await expect(page.locator('.who').allTextContents()).resolves.toEqual([
      'alice.kim@gmail.com',
      expect.stringMatching(/^ID .{3}•••.{3}$/),
      expect.stringMatching(/^ID .{3}•••.{3}$|@/),
    ]);
    expect(await page.locator('body').innerText()).not.toMatch(RAW_ID);
    await shot(page, 'en-connections');

    // What each call returned, not just "200": the fields of each profile, ids masked.
    await page.goto(`${example.url}/api-check`);
    await expect(page.locator('li.api .status').allTextContents()).resolves.toEqual([
      '200',
      '200',
      '200',
    ]);
    await expect(page.locator('li.api table.returned').count()).resolves.toBe(3);
    const google = await page.locator('li.api[data-provider=google]').innerText();
    expect(google).toContain('alice.kim@gmail.com');
    expect(await page.locator('li.api[data-provider=naver]').innerText()).toMatch(
      /response\.nickname\s+junho/,
    );
    expect(await page.locator('body').innerText()).not.toMatch(RAW_ID);
    await shot(page, 'en-api-check');

    // After Google (the sign-in's provider) is disconnected, the profile does not claim it.
    await page.goto(`${example.url}/connections`);
    await page.getByRole('button', { name: 'Disconnect Google' }).click();
    await page.waitForURL(`${example.url}/connections`);
    await page.goto(`${example.url}/profile`);
    await expect(page.locator('#provider').textContent()).resolves.toBe(
      'Google (disconnected since)',
    );
    await expect(page.locator('#linked').textContent()).resolves.toBe('Naver, Kakao');
    await shot(page, 'en-profile-after-disconnect');

    await page.goto(`${example.url}/connections`);
    await page.getByRole('button', { name: 'Disconnect Naver' }).click();
    await page.waitForURL(`${example.url}/connections`);
    await expect(page.locator('li.connection.on').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Disconnect Kakao' }).click();
    await page.waitForURL(/error=last_identity/);
    await expect(page.locator('#message').textContent()).resolves.toContain('only way to sign in');
    // A disconnect error is not a "Sign-in problem"; signed in, the way back is into the app.
    await expect(page.locator('h1').textContent()).resolves.toBe('Cannot disconnect');
    await expect(page.locator('#back').getAttribute('href')).resolves.toBe('/profile');
    await shot(page, 'en-disconnect-last-error');
    expect(example.emulator!.count('google', 'revoke')).toBe(1);
    expect(example.emulator!.count('naver', 'revoke')).toBe(1);
    await context.close();
  });

  test('deny at the consent page: an error page says what happened', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(example.url);
    await page.getByRole('link', { name: 'Sign in with Google' }).click();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL(`${example.url}/auth/error?error=access_denied`);
    await expect(page.locator('#message').textContent()).resolves.toBe(
      'Sign-in was cancelled at the provider.',
    );
    // Signed out: the way back is the home page, where the sign-in buttons are.
    await expect(page.locator('#back').textContent()).resolves.toBe('Back to the home page');
    await shot(page, 'en-error-signed-out');
    await page.locator('#back').click();
    await page.waitForURL(`${example.url}/`);
    await expect(page.getByRole('link', { name: 'Sign in with Google' }).count()).resolves.toBe(1);
    await context.close();
  });

  // Issue 13, row 6: a Korean browser gets Korean everywhere, the emulator's consent page too.
  test('in Korean: home, consent, profile, connections, the error page', async () => {
    const context = await browser.newContext({ locale: 'ko-KR' });
    const page = await context.newPage();
    await page.goto(example.url);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ko');
    await expect(page.locator('h1').textContent()).resolves.toBe('socialauth 예제');
    await expect(page.locator('a.btn').allTextContents()).resolves.toEqual([
      'Google 계정으로 로그인',
      '네이버 로그인',
      '카카오 로그인',
      'Apple로 로그인',
      'GitHub 계정으로 로그인',
      'Microsoft 계정으로 로그인',
      'LINE 계정으로 로그인',
    ]);
    await shot(page, 'ko-home');
    await page.getByRole('link', { name: '카카오 로그인' }).click();
    await page.waitForURL((url) => url.origin === example.emulator!.origin);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ko');
    await expect(page.locator('legend').allTextContents()).resolves.toEqual([
      '계정 선택',
      '제공할 정보 (제공하지 않으려면 체크를 해제해 주세요)',
    ]);
    const items = await page.locator('label.item').allInnerTexts();
    expect(items.map((i) => i.trim())).toEqual([
      '닉네임 profile_nickname',
      '프로필 사진 profile_image',
    ]);
    await shot(page, 'ko-consent-kakao');
    await page.getByRole('button', { name: '취소' }).click();
    await page.waitForURL(/error=access_denied/);
    await expect(page.locator('h1').textContent()).resolves.toBe('로그인을 취소했어요');
    await expect(page.locator('#back').textContent()).resolves.toBe('홈으로 돌아가기');
    await shot(page, 'ko-error-denied');

    await page.goto(example.url);
    await page.getByRole('link', { name: '네이버 로그인' }).click();
    await page.getByRole('button', { name: '동의하고 계속하기' }).click();
    await page.waitForURL(`${example.url}/profile`);
    await expect(page.locator('h1').textContent()).resolves.toBe('내 프로필');
    await expect(page.locator('#provider').textContent()).resolves.toBe('네이버');
    await shot(page, 'ko-profile');
    await page.goto(`${example.url}/connections`);
    await expect(page.getByRole('button', { name: '네이버 연결 해제' }).count()).resolves.toBe(1);
    expect(await page.locator('body').innerText()).not.toMatch(RAW_ID);
    await shot(page, 'ko-connections');
    await page.goto(`${example.url}/api-check`);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ko');
    await expect(page.locator('li.api .status').allTextContents()).resolves.toEqual(['200']);
    expect(await page.locator('body').innerText()).not.toMatch(RAW_ID);
    await shot(page, 'ko-api-check');
    await page.goto(`${example.url}/connections`);
    await page.getByRole('button', { name: '네이버 연결 해제' }).click();
    await page.waitForURL(/error=last_identity/);
    await expect(page.locator('h1').textContent()).resolves.toBe('연결을 해제할 수 없어요');
    await expect(page.locator('#back').textContent()).resolves.toBe('앱으로 돌아가기');
    await shot(page, 'ko-disconnect-last-error');
    await context.close();
  });

  // Issue 13, row 5: an https site reached over http (a TLS proxy without `trust proxy`) is a
  // diagnosed reason on the expired page, in the visitor's language.
  test.each([
    ['en-US', 'Sign-in problem', "app.set('trust proxy', 1)"],
    ['ko-KR', '로그인하지 못했어요', "app.set('trust proxy', 1)을 호출해 주세요"],
  ])('the expired page explains not_https (%s)', async (locale, title, fix) => {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    await page.goto(`${example.url}/auth/error?error=login_expired&reason=not_https`);
    await expect(page.locator('h1').textContent()).resolves.toBe(title);
    await expect(page.locator('#reason').textContent()).resolves.toContain(fix);
    await shot(page, `${locale.slice(0, 2)}-error-not-https`);
    await context.close();
  });

  // Issue 13, row 7: the cookie belongs to one address; say which one before a sign-in fails.
  test('opened at 127.0.0.1 while baseURL says localhost: the page says which address to use', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const wrong = example.url.replace('localhost', '127.0.0.1');
    const res = await page.goto(`${wrong}/connections`);
    expect(res?.status()).toBe(421);
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'Open this app at its own address',
    );
    await expect(page.locator('#address-hint').textContent()).resolves.toContain(example.url);
    await shot(page, 'en-wrong-address');
    await page.getByRole('link', { name: example.url }).click();
    await page.waitForURL(`${example.url}/?next=%2Fconnections`);
    await expect(page.getByRole('link', { name: 'Sign in with Google' }).count()).resolves.toBe(1);
    await context.close();
  });
  // Issue 20, part 4: deleting the account from the profile page, in Korean, then in English
  // (Cancel first, then the deletion). Last in this file: the users it deletes are gone after.
  test('회원 탈퇴 and Delete my account: every button of the confirmation page', async () => {
    const korean = await browser.newContext({ locale: 'ko-KR' });
    const page = await korean.newPage();
    await page.goto(example.url);
    await page.getByRole('link', { name: '카카오 로그인' }).click();
    await page.waitForURL((url) => url.origin === example.emulator!.origin);
    await page.getByRole('button', { name: '동의하고 계속하기' }).click();
    await page.waitForURL(`${example.url}/profile`);
    await page.getByRole('link', { name: '회원 탈퇴' }).click();
    await page.waitForURL(`${example.url}/auth/account/delete`);
    await expect(page.locator('h1').textContent()).resolves.toBe('회원 탈퇴');
    await expect(page.locator('#identities li').allTextContents()).resolves.toEqual([
      expect.stringMatching(/^Kakao/),
    ]);
    await shot(page, 'ko-delete');
    const revokesBefore = example.emulator!.count('kakao', 'revoke');
    await page.getByRole('button', { name: '탈퇴하기' }).click();
    await expect(page.locator('h1').textContent()).resolves.toBe('탈퇴가 완료됐어요');
    expect(example.emulator!.count('kakao', 'revoke')).toBe(revokesBefore + 1);
    await shot(page, 'ko-deleted');
    await page.getByRole('link', { name: '홈으로 돌아가기' }).click();
    await page.goto(`${example.url}/profile`);
    await page.waitForURL(/\/\?next=%2Fprofile$/);
    await korean.close();

    const english = await browser.newContext();
    const en = await english.newPage();
    await en.goto(example.url);
    await en.getByRole('link', { name: 'Sign in with Naver' }).click();
    await en.getByRole('button', { name: 'Approve' }).click();
    await en.waitForURL(`${example.url}/profile`);
    await en.getByRole('link', { name: 'Delete my account' }).click();
    await expect(en.locator('h1').textContent()).resolves.toBe('Delete your account');
    await en.getByRole('link', { name: 'Cancel' }).click();
    await en.waitForURL(`${example.url}/profile`);
    await en.getByRole('link', { name: 'Delete my account' }).click();
    await en.getByRole('button', { name: 'Delete my account' }).click();
    await expect(en.locator('h1').textContent()).resolves.toBe('Your account was deleted');
    await shot(en, 'en-deleted');
    await en.getByRole('link', { name: 'Back to the home page' }).click();
    await expect(en.getByRole('link', { name: 'Sign in with Naver' }).count()).resolves.toBe(1);
    await english.close();
  });
});
