import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { chromium, type Browser } from 'playwright-core';
import request from 'supertest';
import { requireAuth, socialAuth } from '@socialauth/core';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import { naver } from '@socialauth/naver';
import { DEFAULT_CLIENTS, startEmulator, type Emulator } from '../src';

// An app as its developer writes it; its tests sign in with the emulator's one call.
let emulator: Emulator;
let server: Server;
let appURL: string;
let app: express.Express;

beforeAll(async () => {
  emulator = await startEmulator();
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  appURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const origin = emulator.origin;
  app = express();
  app.use(
    socialAuth({
      baseURL: appURL,
      secret: 'sign-in-test-secret-0123456789abcdef',
      providers: [
        google({ ...DEFAULT_CLIENTS.google, origin }),
        naver({ ...DEFAULT_CLIENTS.naver, origin }),
        kakao({ ...DEFAULT_CLIENTS.kakao, origin }),
      ],
    }),
  );
  app.get('/me', requireAuth(), (req, res) => {
    res.json(req.user);
  });
  server.on('request', app);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await emulator.stop();
});

describe('signIn (supertest agent)', () => {
  test.each([
    ['kakao', 'Seoyeon', '9007199254740993'],
    ['google', 'bob', '104834925480000000002'],
    ['naver', 'minji', undefined],
  ] as const)('signs in to the app as a %s test user', async (provider, user, id) => {
    const agent = request.agent(app);
    await agent.get('/me').expect(401);
    const result = await emulator.signIn(agent, { provider, user, next: '/me' });
    expect(result).toEqual({ status: 302, location: '/me' });
    const me = await agent.get('/me').expect(200);
    expect(JSON.stringify(me.body)).toContain(
      id ?? emulator.subject('naver', user, DEFAULT_CLIENTS.naver.clientId),
    );
  });

  test('throws when the app does not redirect to the provider', async () => {
    await expect(
      emulator.signIn(request.agent(app), { provider: 'kakao', app: '/nowhere' }),
    ).rejects.toThrow(/not a redirect/);
  });
});

describe('signInPage (Playwright, real Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser.close();
  });

  test('drives the consent page and lands signed in', async () => {
    const page = await browser.newPage();
    await emulator.signInPage(page, { provider: 'kakao', user: 'dohyun', appURL, next: '/me' });
    expect(new URL(page.url()).pathname).toBe('/me');
    expect(await page.textContent('body')).toContain('3141592653');
    await page.close();
  });

  test('names an unknown account', async () => {
    const page = await browser.newPage();
    await expect(
      emulator.signInPage(page, { provider: 'google', user: 'nobody', appURL }),
    ).rejects.toThrow(/No google test account matches nobody/);
    await page.close();
  });
});
