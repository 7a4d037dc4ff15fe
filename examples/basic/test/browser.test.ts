import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { startExample } from '../src/example';

// Debian's chromium (apt-get install chromium). CI installs it and must not skip; elsewhere the
// test says why it skipped rather than failing on a machine without a browser.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) {
  throw new Error(
    `CI needs Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`,
  );
}
if (!available) {
  // Straight to stderr: jest drops the console output of a suite whose tests all skipped.
  process.stderr.write(
    `\nSKIPPED the browser tests (examples/basic/test/browser.test.ts): no Chromium at ${CHROMIUM}. ` +
      'To run them, install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH.\n\n',
  );
}
const maybe = available ? describe : describe.skip;
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
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
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
    await expect(page.locator('#provider').textContent()).resolves.toBe('google');
    const avatarLoaded = await page
      .locator('img.avatar')
      .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);
    expect(avatarLoaded).toBe(true);

    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'socialauth.sid')).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
    });

    await page.getByRole('button', { name: 'Log out' }).click();
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
      `Signed in as ${alice.name} with google`,
    );
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForSelector('text=Not signed in');
    await context.close();
  });

  test.each([
    ['Naver', 'naver'],
    ['Kakao', 'kakao'],
  ])('sign in with %s against its emulator', async (name, id) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(example.url);
    await page.getByRole('link', { name: `Sign in with ${name}` }).click();
    await page.waitForURL((url) => url.origin === example.emulator!.origin);
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.waitForURL(`${example.url}/profile`);
    await expect(page.locator('#provider').textContent()).resolves.toBe(id);
    await context.close();
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
    await expect(page.locator('li.connection', { hasText: 'connected:' }).count()).resolves.toBe(3);

    await page.goto(`${example.url}/api-check`);
    await expect(page.locator('li.api .status').allTextContents()).resolves.toEqual([
      '200',
      '200',
      '200',
    ]);

    await page.goto(`${example.url}/connections`);
    for (const name of ['Naver', 'Kakao']) {
      await page.getByRole('button', { name: `Disconnect ${name}` }).click();
      await page.waitForURL(`${example.url}/connections`);
    }
    await expect(page.locator('li.connection', { hasText: 'connected:' }).count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Disconnect Google' }).click();
    await page.waitForURL(/error=last_identity/);
    await expect(page.locator('#message').textContent()).resolves.toContain('only way to sign in');
    expect(example.emulator!.count('naver', 'revoke')).toBe(1);
    expect(example.emulator!.count('kakao', 'revoke')).toBe(1);
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
    await context.close();
  });
});
