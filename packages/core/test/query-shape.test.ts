// Issue 17, "Express 4 false outage": a query value that is not one string (Express 4's `qs`
// makes `?error[toString]=1` an object and `?state[]=a` an array; Express 5 makes a repeated
// key an array) is a malformed request on every socialauth route, answered 400
// `invalid_request`. Before, `?error[toString]=1` on a callback with a valid state made
// `String(error)` throw, and the request was answered 503 `session_unavailable`: onError heard a
// store outage that never happened.
import express from 'express';
import express4 from 'express4';
import supertest from 'supertest';
import { consent, start, startHarness, type Harness } from '@socialauth/testkit';

// Express 5's default parser makes `x[a]=1` the key `x[a]`; an app may choose `qs` as Express 4's.
const extended = () => express().set('query parser', 'extended');
const apps = [
  ['Express 4', () => express4() as unknown as express.Express],
  ["Express 5 with the 'extended' query parser", extended],
] as const;

describe.each(apps)('%s', (_name, makeApp) => {
  let h: Harness;
  let errors: string[];
  beforeEach(async () => {
    errors = [];
    const app = makeApp();
    h = await startHarness(
      () => ({
        hooks: {
          onError: (err) => {
            errors.push(err.code);
          },
        },
      }),
      app,
    );
    app.get('/app-page', (req, res) => res.json({ query: req.query }));
    // Host routes under socialauth's prefix, mounted after it, that no socialauth route owns.
    app.get('/auth/admin/users', (req, res) => res.json({ query: req.query }));
    app.post('/auth/reports', (req, res) => res.json({ query: req.query }));
  });
  afterEach(() => h.close());

  /** The callback URL for a flow started (with a valid state) in `h.agent`'s session. */
  const validCallback = async () => consent(await start(h.agent));

  test('a callback with a valid state and ?error[toString]=1 is 400 invalid_request, not an outage', async () => {
    const json = await h.agent
      .get(`${await validCallback()}&error[toString]=1`)
      .set('Accept', 'application/json');
    expect([json.status, json.body.error?.code]).toEqual([400, 'invalid_request']);
    const page = await h.agent
      .get(`${await validCallback()}&error[toString]=1`)
      .set('Accept', 'text/html');
    expect(page.status).toBe(400);
    expect(page.text).toContain('<code id="code">invalid_request</code>');
    expect(errors).not.toContain('session_unavailable');
    // The flow was not spent by the malformed request: the real callback still signs in.
    expect((await h.agent.get(await validCallback())).headers.location).toBe('/');
  });

  const malformed: [string, string][] = [
    ['GET', '/auth/google/callback?state[]=a&state[]=b&code=x'],
    ['GET', '/auth/google/callback?state=a&state=b&code=x'],
    ['GET', '/auth/google/callback?code[a]=b&state=s'],
    ['GET', '/auth/google?next[a]=b'],
    ['GET', '/auth/google?next=/a&next=/b'],
    ['GET', '/auth/error?error[toString]=1'],
    ['GET', '/auth/error?reason[]=cookie_missing'],
    ['GET', '/auth/session?x[]=1'],
    ['GET', '/auth/sessions?x[a]=1'],
    ['GET', '/auth/providers?x[]=1'],
    ['GET', '/auth/csrf?x[]=1'],
    ['GET', '/auth/link?next[a]=b'],
    ['POST', '/auth/link?next[a]=b'],
    ['POST', '/auth/logout?next[]=/x'],
    ['POST', '/auth/logout/everywhere?x[]=1'],
    ['POST', '/auth/google/connect?next[a]=b'],
    ['POST', '/auth/google/disconnect?x[]=1'],
    ['POST', '/auth/google/token?session[]=token'],
    ['POST', '/auth/google/webhook?x[]=1'],
  ];

  test.each(malformed)(
    '%s %s is 400 invalid_request, as JSON or the error page',
    async (method, path) => {
      const send = () =>
        method === 'GET' ? supertest(h.baseURL).get(path) : supertest(h.baseURL).post(path);
      const json = await send().set('Accept', 'application/json');
      expect([json.status, json.body.error?.code]).toEqual([400, 'invalid_request']);
      const page = await send().set('Accept', 'text/html');
      expect(page.status).toBe(400);
      expect(page.text).toContain('<code id="code">invalid_request</code>');
      expect(errors).not.toContain('session_unavailable');
    },
  );

  test("the app's own routes keep their query as the app parses it", async () => {
    for (const send of [
      () => supertest(h.baseURL).get('/app-page?x[a]=1&y=1&y=2'),
      () => supertest(h.baseURL).get('/auth/admin/users?x[a]=1&y=1&y=2'),
      () => supertest(h.baseURL).post('/auth/reports?x[a]=1&y=1&y=2'),
    ]) {
      const res = await send().expect(200);
      expect(res.body.query).toEqual({ x: { a: '1' }, y: ['1', '2'] });
    }
  });
});

describe("Express 5's default query parser", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  test.each([
    '/auth/google?next=/a&next=/b',
    '/auth/error?error=access_denied&error=x',
    '/auth/session?x=1&x=2',
  ])('a repeated key (%s) is 400 invalid_request', async (path) => {
    const res = await supertest(h.baseURL).get(path).set('Accept', 'application/json');
    expect([res.status, res.body.error?.code]).toEqual([400, 'invalid_request']);
  });

  test('a repeated state on a callback with a valid state is 400, and the flow still works', async () => {
    const back = await consent(await start(h.agent));
    const state = new URL(back, h.baseURL).searchParams.get('state');
    const res = await h.agent.get(`${back}&state=${state}`).set('Accept', 'application/json');
    expect([res.status, res.body.error?.code]).toEqual([400, 'invalid_request']);
    expect((await h.agent.get(back)).headers.location).toBe('/');
  });
});
