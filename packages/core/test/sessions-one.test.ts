// Ending one chosen session from the list (issue 20, part 3): POST /auth/sessions/end with the
// session's handle from GET /auth/sessions, CSRF-checked; never another user's session.
import {
  csrfToken,
  sessions as storedSessions,
  signIn,
  startHarness,
  type Harness,
} from '@socialauth/testkit';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const list = async (agent: ReturnType<Harness['newAgent']>) =>
  (await agent.get('/auth/sessions').expect(200)).body.sessions as {
    id: string;
    current: boolean;
  }[];

const end = async (agent: ReturnType<Harness['newAgent']>, session: unknown, csrf = true) => {
  const req = agent.post('/auth/sessions/end').set('Accept', 'application/json');
  if (csrf) req.set('X-CSRF-Token', await csrfToken(agent));
  return req.send({ session });
};

test('a user ends another of their sessions: gone at once; the list no longer has it', async () => {
  const laptop = h.newAgent();
  const phone = h.newAgent();
  await signIn(h, { agent: laptop, user: 'alice' });
  await signIn(h, { agent: phone, user: 'alice' });
  const sessions = await list(laptop);
  expect(sessions).toHaveLength(2);
  const other = sessions.find((s) => !s.current)!;
  // A handle is no session id: none of them names a session of the store.
  const ids = Object.keys(storedSessions(h.store));
  expect(ids).toHaveLength(2);
  for (const s of sessions) expect(ids).not.toContain(s.id);
  const res = await end(laptop, other.id);
  expect(res.status).toBe(200);
  expect(res.body.sessions).toEqual([expect.objectContaining({ current: true })]);
  await phone.get('/auth/session').expect(401);
  await laptop.get('/auth/session').expect(200);
});

test('never another user’s session: not found, and it lives on', async () => {
  const alice = h.newAgent();
  const bob = h.newAgent();
  await signIn(h, { agent: alice, user: 'alice' });
  await signIn(h, { agent: bob, user: 'bob' });
  const bobs = (await list(bob))[0]!;
  const res = await end(alice, bobs.id);
  expect([res.status, res.body.error.code]).toEqual([404, 'session_not_found']);
  await bob.get('/auth/session').expect(200);
});

test('the current session: a sign-out (204, cookie cleared); a browser form: 303', async () => {
  const agent = h.newAgent();
  await signIn(h, { agent, user: 'alice' });
  const current = (await list(agent))[0]!;
  const res = await end(agent, current.id);
  expect(res.status).toBe(204);
  expect(String(res.headers['set-cookie'])).toMatch(/socialauth\.sid=;/);
  await agent.get('/auth/session').expect(401);

  const browser = h.newAgent();
  const other = h.newAgent();
  await signIn(h, { agent: browser, user: 'bob' });
  await signIn(h, { agent: other, user: 'bob' });
  const handle = (await list(browser)).find((s) => !s.current)!.id;
  const form = await browser
    .post('/auth/sessions/end')
    .type('form')
    .send({ session: handle, _csrf: await csrfToken(browser) });
  expect([form.status, form.headers.location]).toEqual([303, '/']);
  await other.get('/auth/session').expect(401);
});

test('refused: no CSRF token, signed out, no handle, an unknown one', async () => {
  const agent = h.newAgent();
  await signIn(h, { agent, user: 'alice' });
  const handle = (await list(agent))[0]!.id;
  const noCsrf = await end(agent, handle, false);
  expect([noCsrf.status, noCsrf.body.error.code]).toEqual([403, 'csrf_failed']);
  const anonymous = await end(h.newAgent(), handle, false);
  expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'unauthenticated']);
  for (const [session, code] of [
    [undefined, 'invalid_request'],
    [['x'], 'invalid_request'],
    ['not-a-handle', 'session_not_found'],
  ] as const) {
    const res = await end(agent, session);
    expect([session, res.body.error.code]).toEqual([session, code]);
  }
  await agent.get('/auth/session').expect(200);
});
