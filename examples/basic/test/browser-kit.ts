import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

// Screenshots of every page the tests look at, kept as CI artifacts (git-ignored).
const SHOTS = join(__dirname, '..', 'test-output', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/** A full-page screenshot under test-output/screenshots/<name>.png. */
export const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

// Debian's chromium (apt-get install chromium). CI installs it and must not skip; elsewhere the
// test says why it skipped rather than failing on a machine without a browser.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI) {
  throw new Error(
    `CI needs Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`,
  );
}
if (!available) {
  // Straight to stderr: jest drops the console output of a suite whose tests all skipped.
  process.stderr.write(
    `\nSKIPPED the browser tests (${module.parent?.filename ?? 'examples/basic/test'}): no Chromium at ${CHROMIUM}. ` +
      'To run them, install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH.\n\n',
  );
}
/** `describe` where Chromium is installed, `describe.skip` (with a line on stderr) elsewhere. */
export const maybe = available ? describe : describe.skip;

/** Chromium's flags here: no sandbox as root, and no calls home on a closed network. */
export const LAUNCH = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
