// Issue 10 part 2: the headless JSON API (SPAs and native apps; allauth's headless API is the
// reference). A JSON client starts a sign-in and gets the provider URL to navigate to, a native
// app lands on its own listed return URL, and the pending link is readable as JSON.
import type supertest from 'supertest';
import { SocialAuthError, memoryAccounts, socialAuth } from '../src';
import {
  USERS,
  me,
  signInAs,
  startAccountsHarness,
  type AccountsHarness,
  SECRET,
  consent,
  csrfToken,
  startHarness,
  type Harness,
} from '@socialauth/testkit';

const JSON_TYPE = 'application/json';
const APP = 'com.example.app:/signed-in';
const UNIVERSAL = 'https://app.example.com/app/';

/** Starts a sign-in as a JSON client: the provider URL from the body, never a redirect. */
async function startJson(agent: supertest.Agent, path: string, token?: string) {
  const req = token ? agent.post(path).set('X-CSRF-Token', token) : agent.get(path);
  const res = await req.set('Accept', JSON_TYPE);
  expect(res.status).toBe(200);
  expect(res.headers.location).toBeUndefined();
  expect(res.headers['cache-control']).toBe('no-store');
  expect(Object.keys(res.body)).toEqual(['redirectUrl']);
  return new URL(res.body.redirectUrl as string);
}

describe('a JSON start', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  test('answers { redirectUrl } whose state completes a sign-in through the emulator', async () => {
    const authorize = await startJson(h.agent, '/auth/google?next=/dashboard');
    expect(authorize.origin).toBe(h.emulator.origin);
    expect(authorize.pathname).toBe('/o/oauth2/v2/auth');
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    // The client navigates there; the callback is the browser's, as for any sign-in.
    const callback = await h.agent.get(await consent(authorize));
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe('/dashboard');
    const session = await h.agent.get('/auth/session').set('Accept', JSON_TYPE).expect(200);
    expect(session.body.user.email).toBe(h.emulator.users('google')[0]?.email);
  });

  test('the browser start is unchanged: a 302 to the same provider', async () => {
    const res = await h.agent.get('/auth/google').set('Accept', 'text/html').expect(302);
    expect(new URL(res.headers.location as string).origin).toBe(h.emulator.origin);
  });

  test('a JSON connect answers { redirectUrl } and its callback links the identity', async () => {
    await h.agent.get(await consent(await startJson(h.agent, '/auth/google')));
    const token = await csrfToken(h.agent);
    const authorize = await startJson(h.agent, '/auth/google-work/connect', token);
    const back = await consent(authorize, { user: h.emulator.users('google')[1]?.sub });
    expect((await h.agent.get(back)).status).toBe(302);
    const session = await h.agent.get('/auth/session').expect(200);
    const users = h.emulator.users('google');
    expect(session.body.identities.map((i: { subject: string }) => i.subject).sort()).toEqual(
      [users[0]?.sub, users[1]?.sub].sort(),
    );
  });

  test('a start the flow refuses is a JSON error, not a redirect', async () => {
    const res = await h.agent.get('/auth/google?code=x').set('Accept', JSON_TYPE).expect(400);
    expect(res.body.error.code).toBe('invalid_request');
  });
});

describe('native app return URLs (redirects.appReturnURLs)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(() => ({ redirects: { appReturnURLs: [APP, UNIVERSAL] } }));
  });
  afterAll(() => h.close());

  /** Where the callback of a JSON-started sign-in with this `next` lands. */
  async function landing(next: string) {
    const agent = h.newAgent();
    const authorize = await startJson(agent, `/auth/google?next=${encodeURIComponent(next)}`);
    const res = await agent.get(await consent(authorize));
    expect(res.status).toBe(302);
    // The app reads the outcome from the session, as JSON.
    await agent.get('/auth/session').set('Accept', JSON_TYPE).expect(200);
    return res.headers.location as string;
  }

  test('a listed return URL is where the callback lands; an unlisted one falls back', async () => {
    expect(await landing(`${APP}?from=login`)).toBe(`${APP}?from=login`);
    expect(await landing(`${UNIVERSAL}done`)).toBe(`${UNIVERSAL}done`);
    expect(await landing('com.example.other:/signed-in')).toBe('/');
    expect(await landing('com.example.appevil:/signed-in')).toBe('/');
    expect(await landing(`${APP}@evil.example`)).toBe('/');
    expect(await landing('https://app.example.com/other')).toBe('/');
  });

  test('without the config, the same app URL falls back to afterLogin', async () => {
    const plain = await startHarness();
    try {
      const agent = plain.newAgent();
      const authorize = await startJson(agent, `/auth/google?next=${encodeURIComponent(APP)}`);
      expect((await agent.get(await consent(authorize))).headers.location).toBe('/');
    } finally {
      await plain.close();
    }
  });

  test.each([
    ['a script scheme', 'javascript:alert(1)//'],
    ['a bare scheme', 'com.example.app:'],
    ['credentials', 'https://user:pw@app.example.com/app/'],
    ['a form the URL parser rewrites', 'HTTPS://App.Example.com/app/'],
    ['whitespace', 'com.example.app:/signed in'],
    ['not a URL', 'signed-in'],
  ])('config refuses %s, naming the field', (_label, value) => {
    let error: unknown;
    try {
      socialAuth({
        baseURL: 'http://localhost:3000',
        secret: SECRET,
        providers: [],
        redirects: { appReturnURLs: [APP, value] },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SocialAuthError);
    expect((error as SocialAuthError).code).toBe('config_invalid');
    expect((error as SocialAuthError).message).toContain('redirects.appReturnURLs.1');
    expect((error as SocialAuthError).message).not.toContain('redirects.appReturnURLs.0');
  });
});

describe('the pending link as JSON', () => {
  let h: AccountsHarness;
  beforeEach(async () => {
    h = await startAccountsHarness(memoryAccounts());
    await signInAs(h, 'google', USERS.google[0]!.sub, h.newAgent()); // the account's owner
  });
  afterEach(() => h.close());

  const pendingLink = (agent: supertest.Agent) => agent.get('/auth/link').set('Accept', JSON_TYPE);

  test('reads, signs in for it with its id, and confirms, all as JSON', async () => {
    const browser = h.newAgent();
    expect(await signInAs(h, 'naver', 'minji', browser)).toBe('/auth/link');
    const before = await pendingLink(browser).expect(200);
    expect(before.headers['cache-control']).toBe('no-store');
    const link = before.body.pendingLink;
    expect(link).toEqual({
      id: expect.stringMatching(/^[\w-]{20,}$/),
      provider: 'naver',
      name: 'Naver Shared',
      // CWE-204: the matching account's address, masked (anyone holding this session reads it).
      email: 's•••@example.com',
      subject: expect.stringMatching(/^.{3}•••.{3}$/),
      canConfirm: false,
    });
    expect(JSON.stringify(before.body)).not.toContain('shared@');

    // Signed out: sign in the way used before, bound to this link, as the page's links are.
    const authorize = await startJson(
      browser,
      `/auth/google?link=${link.id}&next=${encodeURIComponent('/auth/link')}`,
    );
    const back = await consent(authorize, { user: USERS.google[0]!.sub });
    expect((await browser.get(back)).headers.location).toBe('/auth/link');
    const after = await pendingLink(browser).expect(200);
    expect(after.body.pendingLink).toEqual({ ...link, canConfirm: true });

    const confirmed = await browser
      .post('/auth/link')
      .set('X-CSRF-Token', await csrfToken(browser))
      .set('Accept', JSON_TYPE)
      .send({ action: 'confirm' })
      .expect(200);
    const identities = confirmed.body.identities as { provider: string; subject: string }[];
    expect(identities.map((i) => i.provider).sort()).toEqual(['google', 'naver']);
    // The masked id, never the raw subject.
    const subject = identities.find((i) => i.provider === 'naver')!.subject;
    expect(JSON.stringify(before.body)).not.toContain(subject);
    expect(link.subject).toBe(`${subject.slice(0, 3)}•••${subject.slice(-3)}`);
    expect((await me(browser)).identities).toHaveLength(2);

    // Spent: none is pending any more.
    const gone = await pendingLink(browser).expect(403);
    expect(gone.body).toEqual({
      error: {
        code: 'login_expired',
        message: 'The sign-in expired or was already used. Please try again.',
      },
    });
  });

  test('none pending: a JSON error, while a browser is still redirected', async () => {
    const agent = h.newAgent();
    expect((await pendingLink(agent).expect(403)).body.error.code).toBe('login_expired');
    await agent.get('/auth/link').set('Accept', 'text/html').expect(302);
  });
});
