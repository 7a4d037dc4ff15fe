// Google Identity Services' One Tap and "Sign in with Google" button (developers.google.com,
// "Verify the Google ID token on your server side", checked 2026-12-07): the login_uri POST with
// `credential` and `g_csrf_token`, Google's double-submit cookie check, and the session's nonce.
// The emulator mints the credential as GIS would hand it over (an ID token for the web client).
import supertest from 'supertest';
import { DEFAULT_CLIENTS, DEFAULT_USERS } from '@socialauth/emulator';
import { cookieOf, startHarness, type Harness } from '@socialauth/testkit';
import { google } from '../src';

const ALICE = DEFAULT_USERS.google[0]!;
let h: Harness;
beforeEach(async () => {
  h = await startHarness((emulator) => ({
    providers: [
      google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin }),
      // The same provider without the flag: its One Tap routes do not exist.
      {
        ...google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin }),
        id: 'plain',
        oneTap: false,
      },
    ],
  }));
});
afterEach(() => h.close());

/** A page of this site asks for a nonce: the session cookie and the nonce. */
async function begin(next = '/welcome') {
  const res = await supertest(h.baseURL)
    .get(`/auth/google/one-tap?next=${encodeURIComponent(next)}`)
    .expect(200);
  const session = cookieOf(res)!.split(';')[0]!;
  return { session, ...(res.body as { nonce: string; loginUri: string; clientId: string }) };
}

const credential = (nonce?: string) =>
  h.emulator.appIdToken('google', {
    user: ALICE.sub,
    clientId: DEFAULT_CLIENTS.google.clientId,
    nonce,
  });

const post = (cookies: string[], fields: Record<string, string>) =>
  supertest(h.baseURL)
    .post('/auth/google/one-tap')
    .set('Cookie', cookies.join('; '))
    .type('form')
    .send(new URLSearchParams(fields).toString());

test('the nonce, the login_uri and the client id for the page; the session lives as long as the nonce', async () => {
  const res = await supertest(h.baseURL).get('/auth/google/one-tap').expect(200);
  const expires = Date.parse(/Expires=([^;]+)/.exec(cookieOf(res)!)![1]!);
  expect(expires - Date.now()).toBeLessThanOrEqual(10 * 60_000);
  const { nonce, loginUri, clientId } = await begin();
  expect(nonce).toMatch(/^[\w-]{43}$/);
  expect(loginUri).toBe(`${h.baseURL}/auth/google/one-tap`);
  expect(clientId).toBe(DEFAULT_CLIENTS.google.clientId);
});

test('signed in: the double-submit cookie matches, the nonce is the session’s; 303 to next', async () => {
  const { session, nonce } = await begin();
  const res = await post([session, 'g_csrf_token=tok-1'], {
    credential: await credential(nonce),
    g_csrf_token: 'tok-1',
  });
  expect([res.status, res.headers.location]).toEqual([303, '/welcome']);
  const signedIn = cookieOf(res)!.split(';')[0]!;
  const me = await supertest(h.baseURL).get('/auth/session').set('Cookie', signedIn).expect(200);
  expect(me.body.user).toMatchObject({ email: ALICE.email, provider: 'google' });
});

test('refused: no cookie, no field, different values (csrf_failed); another nonce, a replay (login_expired)', async () => {
  const { session, nonce } = await begin();
  const token = await credential(nonce);
  for (const [cookies, field] of [
    [[session], 'tok'],
    [[session, 'g_csrf_token=tok'], ''],
    [[session, 'g_csrf_token=tok'], 'other'],
  ] as const) {
    const res = await post([...cookies], { credential: token, g_csrf_token: field }).set(
      'Accept',
      'application/json',
    );
    expect([field, res.status, res.body.error.code]).toEqual([field, 403, 'csrf_failed']);
  }
  const foreign = await post([session, 'g_csrf_token=t'], {
    credential: await credential('a-nonce-this-session-never-made'),
    g_csrf_token: 't',
    socialauth_resubmitted: '1',
  }).set('Accept', 'application/json');
  expect([foreign.status, foreign.body.error.code]).toEqual([403, 'login_expired']);
  // The right one signs in once; the same credential again finds its nonce spent.
  expect(
    (await post([session, 'g_csrf_token=t'], { credential: token, g_csrf_token: 't' })).status,
  ).toBe(303);
  const again = await post([session, 'g_csrf_token=t'], {
    credential: token,
    g_csrf_token: 't',
    socialauth_resubmitted: '1',
  }).set('Accept', 'application/json');
  expect([again.status, again.body.error.code]).toEqual([403, 'login_expired']);
});

test('a One Tap nonce is no callback state, and a callback state no One Tap nonce', async () => {
  const { session, nonce } = await begin();
  // Sent to the redirect callback as its state: refused before any token request.
  const asState = await supertest(h.baseURL)
    .get(`/auth/google/callback?state=${nonce}&code=attackers-code`)
    .set('Cookie', session)
    .set('Accept', 'application/json');
  expect([asState.status, asState.body.error.code]).toEqual([403, 'state_mismatch']);
  expect(h.emulator.count('google', 'token')).toBe(0);
  // A redirect sign-in's state as the nonce of a credential: refused too.
  const started = await supertest(h.baseURL).get('/auth/google').set('Cookie', session).expect(302);
  const state = new URL(started.headers.location as string).searchParams.get('state')!;
  const res = await post([session, 'g_csrf_token=t'], {
    credential: await credential(state),
    g_csrf_token: 't',
  }).set('Accept', 'application/json');
  expect([res.status, res.body.error.code]).toEqual([403, 'state_mismatch']);
});

test('redirect mode: Google’s cross-site POST is posted again from this site, then signs in', async () => {
  const { session, nonce } = await begin();
  const token = await credential(nonce);
  const bare = await supertest(h.baseURL)
    .post('/auth/google/one-tap')
    .type('form')
    .send(new URLSearchParams({ credential: token, g_csrf_token: 'tok' }).toString());
  expect(bare.status).toBe(200);
  expect(cookieOf(bare)).toBeUndefined();
  expect(bare.text).toContain('action="/auth/google/one-tap"');
  expect(bare.text).toContain('name="socialauth_resubmitted" value="1"');
  const res = await post([session, 'g_csrf_token=tok'], {
    credential: token,
    g_csrf_token: 'tok',
    socialauth_resubmitted: '1',
  });
  expect([res.status, res.headers.location]).toEqual([303, '/welcome']);
});

test('JSON (the GIS library posting from this site): { user, next }', async () => {
  const { session, nonce } = await begin('/home');
  const res = await supertest(h.baseURL)
    .post('/auth/google/one-tap')
    .set('Cookie', `${session}; g_csrf_token=j`)
    .send({ credential: await credential(nonce), g_csrf_token: 'j' });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ next: '/home', user: { email: ALICE.email } });
});

test('a provider without One Tap: 404', async () => {
  const res = await supertest(h.baseURL)
    .get('/auth/google-work/one-tap')
    .set('Accept', 'application/json');
  expect([res.status, res.body.error.code]).toEqual([404, 'unknown_provider']);
});
