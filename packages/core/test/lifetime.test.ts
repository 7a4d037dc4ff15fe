// Issue 9, finding 5 (OWASP Session Management Cheat Sheet, "Absolute Timeout"): a signed-in
// session ends `maxLifetime` after the sign-in however active it is (lazy touch extends the idle
// lifetime only), and the app can read when the user authenticated, to ask for a fresh sign-in
// before a sensitive action.
import express from 'express';
import supertest from 'supertest';
import { consent, cookieOf, start, startHarness, type Harness } from '@socialauth/testkit';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let h: Harness;
afterEach(() => h?.close());

async function signIn() {
  await h.agent.get(await consent(await start(h.agent))).expect(302);
}

test('activity cannot carry a session past maxLifetime', async () => {
  // A minute idle, 3 s absolute. The cookie goes by hand, so the client's own reading of the
  // cookie's Expires cannot end the session for the server; every request extends the memory
  // store's entry, so only the absolute rule can end it.
  h = await startHarness(() => ({ session: { maxAge: 60_000, maxLifetime: 3000 } }));
  const done = await h.agent.get(await consent(await start(h.agent))).expect(302);
  const cookie = (cookieOf(done) ?? '').split(';')[0]!;
  const began = Date.now();
  const session = () => supertest(h.baseURL).get('/auth/session').set('Cookie', cookie);
  while (Date.now() - began < 2000) {
    await session().expect(200);
    await sleep(200);
  }
  let last = 200;
  while (Date.now() - began < 3600) {
    last = (await session()).status;
    await sleep(200);
  }
  expect(last).toBe(401);
});

test('the cookie a touch sends never outlives maxLifetime', async () => {
  h = await startHarness(() => ({ session: { maxAge: 60_000, maxLifetime: 5_000 } }));
  const res = await h.agent.get(await consent(await start(h.agent))).expect(302);
  const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join(';');
  const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)?.[1] ?? '');
  expect(expires - Date.parse(res.headers.date as string)).toBeLessThanOrEqual(5_000);
});

test('req.socialAuth.authenticatedAt is when the user signed in; undefined when anonymous', async () => {
  const app = express();
  h = await startHarness(() => ({}), app);
  app.get('/auth-age', (req, res) => {
    res.json({ at: req.socialAuth.authenticatedAt?.getTime() ?? null });
  });
  expect((await h.agent.get('/auth-age').expect(200)).body.at).toBeNull();
  const before = Date.now();
  await signIn();
  const { at } = (await h.agent.get('/auth-age').expect(200)).body as { at: number };
  expect(at).toBeGreaterThanOrEqual(before - 1000);
  expect(at).toBeLessThanOrEqual(Date.now());
  await sleep(50);
  expect((await h.agent.get('/auth-age').expect(200)).body.at).toBe(at);
});
