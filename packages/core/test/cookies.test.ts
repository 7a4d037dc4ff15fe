import express from 'express';
import { DEFAULT_CLIENTS, startEmulator, type Emulator } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import supertest from 'supertest';
import { socialAuth } from '../src';
import { SECRET, consent, cookieOf, start, startHarness } from '@socialauth/testkit';

describe('session cookie', () => {
  test('HttpOnly and SameSite=Lax, not Secure on http; new cookie at login', async () => {
    const h = await startHarness();
    try {
      const authorize = await start(h.agent);
      const res = await h.agent.get(await consent(authorize));
      const cookie = cookieOf(res)!;
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).not.toMatch(/; Secure/);
      expect(cookie).toMatch(/; Path=\//);
    } finally {
      await h.close();
    }
  });

  describe('with an https baseURL', () => {
    let emulator: Emulator;
    beforeAll(async () => {
      emulator = await startEmulator({ port: 0 });
    });
    afterAll(() => emulator.stop());

    const app = (trustProxy: boolean, logs: string[]) => {
      const a = express();
      if (trustProxy) a.set('trust proxy', 1);
      a.use(
        socialAuth({
          baseURL: 'https://app.example.com',
          secret: SECRET,
          providers: [google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin })],
          logger: { info() {}, warn: (m) => logs.push(m), error: (m) => logs.push(m) },
        }),
      );
      return a;
    };

    test('the cookie is Secure behind a TLS proxy', async () => {
      const res = await supertest(app(true, []))
        .get('/auth/google')
        .set('X-Forwarded-Proto', 'https');
      expect(res.status).toBe(302);
      expect(cookieOf(res)).toMatch(/; Secure/);
    });

    // Issue 9, finding 5. RFC 6265bis §4.1.3.2: a `__Host-` cookie must be Secure, Path=/ and have
    // no Domain, so a sibling subdomain cannot plant or shadow it (the delivery route of a planted
    // session, e.g. a pending link).
    test('the cookie is named with the __Host- prefix: Secure, Path=/, no Domain', async () => {
      const res = await supertest(app(true, []))
        .get('/auth/google')
        .set('X-Forwarded-Proto', 'https');
      const cookie = cookieOf(res) ?? '';
      expect(cookie).toMatch(/^__Host-socialauth\.sid=/);
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; Path=\/(;|$)/);
      expect(cookie).not.toMatch(/; Domain=/i);
    });

    test('over plain http without trust proxy, a warning explains the missing cookie', async () => {
      const logs: string[] = [];
      const res = await supertest(app(false, logs)).get('/auth/google');
      expect(cookieOf(res)).toBeUndefined();
      expect(logs.join('\n')).toContain("app.set('trust proxy', 1)");
    });

    // Issue 13, row 5: the mismatch is a diagnosed reason on the page, not only a log line.
    test('a callback over http without trust proxy: login_expired, reason not_https, a page that says so', async () => {
      const agent = supertest.agent(app(false, []));
      const res = await agent.get('/auth/google/callback?state=abc&code=xyz');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/auth/error?error=login_expired&reason=not_https');
      const page = await agent.get(res.headers.location!);
      expect(page.text).toContain('id="reason"');
      expect(page.text).toContain('app.set(&#39;trust proxy&#39;, 1)');
      const json = await agent
        .get('/auth/google/callback?state=abc&code=xyz')
        .set('Accept', 'application/json');
      expect(json.body.error).toMatchObject({ code: 'login_expired', reason: 'not_https' });
    });
  });
});
