// Sign in with Apple end to end against the emulator's Apple over real HTTP: the form_post
// callback (and its same-site resubmission), the name of the first authorization, relay
// addresses, native sign-in with the hashed nonce and the app's code, revocation as the app's
// client, and the server-to-server notifications.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import supertest from 'supertest';
import { DEFAULT_CLIENTS, DEFAULT_USERS, type Emulator } from '@socialauth/emulator';
import { memoryAccounts, type AccountStore } from '@socialauth/core';
import {
  consentCallback,
  cookieOf,
  deliver,
  start,
  startHarness,
  type Callback,
  type Harness,
} from '@socialauth/testkit';
import { apple } from '../src';

const [MINJI, HANA] = DEFAULT_USERS.apple;
const APP_ID = DEFAULT_CLIENTS.apple.appClientIds[0]!;
const sha256hex = (text: string) => createHash('sha256').update(text).digest('hex');

let h: Harness;
let accounts: AccountStore;
const events: string[] = [];

beforeEach(async () => {
  events.length = 0;
  accounts = memoryAccounts();
  h = await startHarness((emulator: Emulator) => ({
    providers: [
      apple({ ...DEFAULT_CLIENTS.apple, appClientIds: [APP_ID], origin: emulator.origin }),
    ],
    accounts,
    hooks: {
      onLogin: ({ profile }) => {
        events.push(`login:${profile.name ?? '-'}:${profile.emailIsRelay === true}`);
      },
    },
  }));
});
afterEach(() => h.close());

const authorize = (agent = h.agent, next = '/done') => start(agent, 'apple', next);
const post = (callback: Callback) => callback as Extract<Callback, { method: 'POST' }>;

test('the authorization request: form_post, name and email, a nonce, no PKCE (Apple documents none)', async () => {
  const url = await authorize();
  expect(url.pathname).toBe('/auth/authorize');
  const q = url.searchParams;
  expect(q.get('response_mode')).toBe('form_post');
  expect(q.get('response_type')).toBe('code');
  expect(q.get('scope')).toBe('name email');
  expect(q.get('nonce')).toEqual(expect.any(String));
  expect(q.get('code_challenge')).toBeNull();
  expect(q.get('client_id')).toBe(DEFAULT_CLIENTS.apple.clientId);
});

test('the first authorization posts the name, which is kept when later ones do not', async () => {
  const first = post(await consentCallback(await authorize(), { user: MINJI!.sub }));
  expect(first.method).toBe('POST');
  expect(JSON.parse(first.form.get('user')!)).toEqual({
    name: { firstName: '민지', lastName: '김' },
    email: 'minji.kim@icloud.com',
  });
  expect((await deliver(h.agent, first)).headers.location).toBe('/done');
  const session = await h.agent.get('/auth/session').expect(200);
  expect(session.body.user.name).toBe('김민지');
  expect(session.body.user.email).toBe('minji.kim@icloud.com');

  const again = supertest.agent(h.baseURL);
  const second = post(await consentCallback(await authorize(again), { user: MINJI!.sub }));
  expect(second.form.has('user')).toBe(false);
  expect((await deliver(again, second)).headers.location).toBe('/done');
  expect((await again.get('/auth/session').expect(200)).body.user.name).toBe('김민지');
  expect(events).toEqual(['login:김민지:false', 'login:-:false']);
});

test('a relay address is kept and flagged', async () => {
  const back = await consentCallback(await authorize(), { user: HANA!.sub });
  await deliver(h.agent, back).expect(302);
  const { user } = (await h.agent.get('/auth/session').expect(200)).body;
  expect(user.email).toBe('x7k2p9q4rt@privaterelay.appleid.com');
  expect(user.name).toBe('Hana Lee');
  expect(events).toEqual(['login:Hana Lee:true']);
});

test('a malformed user field costs the name, never the sign-in', async () => {
  const back = post(await consentCallback(await authorize(), { user: MINJI!.sub }));
  back.form.set('user', '{"name": {"firstName": ');
  await deliver(h.agent, back).expect(302);
  expect((await h.agent.get('/auth/session').expect(200)).body.user.name).toBeUndefined();
});

describe('the cross-site POST (SameSite=Lax leaves the cookie behind)', () => {
  test('is answered with a page that posts the same fields again, storing nothing', async () => {
    const back = post(await consentCallback(await authorize(), { user: MINJI!.sub }));
    // The provider's POST as a browser sends it cross-site: without the session cookie.
    const bare = await supertest(h.baseURL)
      .post(back.path)
      .set('Accept', 'text/html')
      .type('form')
      .send(back.form.toString());
    expect(bare.status).toBe(200);
    expect(cookieOf(bare)).toBeUndefined();
    expect(bare.headers['cache-control']).toBe('no-store');
    expect(bare.headers['referrer-policy']).toBe('same-origin');
    const csp = String(bare.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('form-action'); // it would block a redirect to an allowed origin
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(bare.text).toContain(`<script nonce="${nonce}">`);
    expect(bare.text).toContain(`action="/auth/apple/callback"`);
    expect(bare.text).toContain('name="socialauth_resubmitted" value="1"');
    for (const [name, value] of back.form) {
      const escaped = value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
      expect(bare.text).toContain(`name="${name}" value="${escaped}"`);
    }
    expect(h.emulator.count('apple', 'token')).toBe(0);

    // The page's own POST is same-site: the cookie comes, and the state is checked as ever.
    const fields = new URLSearchParams(back.form);
    fields.set('socialauth_resubmitted', '1');
    const res = await h.agent.post(back.path).type('form').send(fields.toString());
    expect(res.headers.location).toBe('/done');
    expect(h.emulator.count('apple', 'token')).toBe(1);
  });

  test('a resubmission that still has no cookie is an expired sign-in, not a loop', async () => {
    const back = post(await consentCallback(await authorize(), { user: MINJI!.sub }));
    const fields = new URLSearchParams(back.form);
    fields.set('socialauth_resubmitted', '1');
    const res = await supertest(h.baseURL)
      .post(back.path)
      .set('Accept', 'application/json')
      .type('form')
      .send(fields.toString());
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'login_expired', reason: 'cookie_missing' });
    expect(h.emulator.count('apple', 'token')).toBe(0);
  });

  test('a forged state is refused after the resubmission, as any other', async () => {
    const back = post(await consentCallback(await authorize(), { user: MINJI!.sub }));
    const fields = new URLSearchParams(back.form);
    fields.set('state', 'forged');
    fields.set('socialauth_resubmitted', '1');
    const res = await h.agent
      .post(back.path)
      .set('Accept', 'application/json')
      .type('form')
      .send(fields.toString());
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('login_expired');
    expect(h.emulator.count('apple', 'token')).toBe(0);
  });
});

describe('malformed callbacks get a typed answer, never a 500', () => {
  const json = (req: supertest.Test) => req.set('Accept', 'application/json');

  test('a GET callback: Apple answers by POST', async () => {
    const res = await json(h.agent.get('/auth/apple/callback?code=x&state=y'));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
  });

  test('a POST with a query, repeated fields, an oversized body', async () => {
    const back = post(await consentCallback(await authorize(), { user: MINJI!.sub }));
    const withQuery = await json(h.agent.post(`${back.path}?code=other`))
      .type('form')
      .send(back.form.toString());
    expect([withQuery.status, withQuery.body.error.code]).toEqual([400, 'invalid_request']);
    const repeated = await json(h.agent.post(back.path))
      .type('form')
      .send(`${back.form.toString()}&code=again`);
    expect([repeated.status, repeated.body.error.code]).toEqual([400, 'invalid_request']);
    const large = await json(h.agent.post(back.path))
      .type('form')
      .send(`state=x&user=${'a'.repeat(20_000)}`);
    expect([large.status, large.body.error.code]).toEqual([400, 'invalid_request']);
  });

  test('Cancel (user_cancelled_authorize) is access_denied', async () => {
    const back = await consentCallback(await authorize(), { deny: true });
    expect(post(back).form.get('error')).toBe('user_cancelled_authorize');
    const res = await deliver(h.agent, back);
    expect(res.headers.location).toBe('/auth/error?error=access_denied');
  });
});

describe('native sign-in: POST /auth/apple/token', () => {
  const token = (body: Record<string, unknown>) =>
    supertest(h.baseURL).post('/auth/apple/token').set('Accept', 'application/json').send(body);

  test('the identity token with the raw nonce whose SHA-256 the app sent Apple', async () => {
    const raw = 'raw-nonce-0123456789abcdef';
    const idToken = await h.emulator.appIdToken('apple', {
      user: MINJI!.sub,
      clientId: APP_ID,
      nonce: sha256hex(raw),
    });
    const user = { name: { firstName: '민지', lastName: '김' } };
    const res = await token({ idToken, nonce: raw, user });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ name: '김민지', email: 'minji.kim@icloud.com' });
  });

  test('refused: the hash as the nonce, no nonce, the wrong one, another app, a replay', async () => {
    const raw = 'raw-nonce-0123456789abcdef';
    const mint = (clientId = APP_ID, nonce = sha256hex(raw)) =>
      h.emulator.appIdToken('apple', { user: MINJI!.sub, clientId, nonce });
    const code = async (body: Record<string, unknown>) => (await token(body)).body.error?.code;
    // Sending what the token already shows proves nothing (better-auth PR #8870's other side).
    expect(await code({ idToken: await mint(), nonce: sha256hex(raw) })).toBe('id_token_invalid');
    expect(await code({ idToken: await mint() })).toBe('id_token_invalid');
    expect(await code({ idToken: await mint(), nonce: 'another' })).toBe('id_token_invalid');
    expect(await code({ idToken: await mint('com.other.app'), nonce: raw })).toBe(
      'token_audience_mismatch',
    );
    const once = await mint();
    expect((await token({ idToken: once, nonce: raw })).status).toBe(200);
    expect(await code({ idToken: once, nonce: raw })).toBe('login_expired');
  });

  test("the app's authorization code is exchanged as the app's client; revoke and refresh use it", async () => {
    const raw = 'raw-nonce-for-code-exchange';
    const idToken = await h.emulator.appIdToken('apple', {
      user: HANA!.sub,
      clientId: APP_ID,
      nonce: sha256hex(raw),
    });
    const authorizationCode = h.emulator.appAuthorizationCode('apple', {
      user: HANA!.sub,
      clientId: APP_ID,
    });
    const res = await token({ idToken, nonce: raw, authorizationCode });
    expect(res.status).toBe(200);
    expect(h.emulator.count('apple', 'token')).toBe(1);
    expect((await accounts.findIdentity('apple', HANA!.sub))?.tokens).toBeDefined();

    // What the plugin hands core for such a sign-in: the tokens remember the app's client.
    const plugin = apple({
      ...DEFAULT_CLIENTS.apple,
      appClientIds: [APP_ID],
      origin: h.emulator.origin,
    });
    const signedIn = await plugin.tokenSignIn!({
      idToken: await h.emulator.appIdToken('apple', {
        user: HANA!.sub,
        clientId: APP_ID,
        nonce: sha256hex('n1'),
      }),
      nonce: 'n1',
      authorizationCode: h.emulator.appAuthorizationCode('apple', {
        user: HANA!.sub,
        clientId: APP_ID,
      }),
    });
    const tokens = signedIn.tokens!;
    expect(tokens).toMatchObject({ clientId: APP_ID, refreshToken: expect.any(String) });

    // A code of another user's is refused, whatever the identity token says.
    const other = h.emulator.appAuthorizationCode('apple', { user: MINJI!.sub, clientId: APP_ID });
    const mixed = await token({
      idToken: await h.emulator.appIdToken('apple', {
        user: HANA!.sub,
        clientId: APP_ID,
        nonce: sha256hex('n2'),
      }),
      nonce: 'n2',
      authorizationCode: other,
    });
    expect(mixed.body.error.code).toBe('id_token_invalid');

    const fresh = await plugin.refresh!(tokens);
    expect(fresh.clientId).toBe(APP_ID);
    await plugin.revoke!(tokens);
    await expect(plugin.refresh!(tokens)).rejects.toMatchObject({
      code: 'reauth_required',
    });
  });
});

describe('server-to-server notifications: POST /auth/apple/webhook', () => {
  const hook = () => `${h.baseURL}/auth/apple/webhook`;
  const signIn = async (user: string) => {
    const agent = supertest.agent(h.baseURL);
    await deliver(agent, await consentCallback(await authorize(agent), { user })).expect(302);
    return agent;
  };

  test('consent-revoked and account-deleted end the identity and its sessions', async () => {
    for (const event of ['consent-revoked', 'account-deleted'] as const) {
      const agent = await signIn(MINJI!.sub);
      await agent.get('/auth/session').expect(200);
      const sent = await h.emulator.sendUnlink('apple', { to: hook(), user: MINJI!.sub, event });
      expect([event, sent.status]).toEqual([event, 200]);
      await agent.get('/auth/session').expect(401);
    }
  });

  test('email-disabled is acknowledged and changes nothing', async () => {
    const agent = await signIn(HANA!.sub);
    const sent = await h.emulator.sendUnlink('apple', {
      to: hook(),
      user: HANA!.sub,
      event: 'email-disabled',
    });
    expect(sent.status).toBe(200);
    await agent.get('/auth/session').expect(200);
  });

  test('a payload signed by another key, a GET, no payload: refused', async () => {
    const agent = await signIn(MINJI!.sub);
    // Apple's shape and claims, signed by a key that is not in Apple's JWKS.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${b64({ alg: 'RS256', kid: 'forged' })}.${b64({
      iss: 'https://appleid.apple.com',
      aud: APP_ID,
      iat: Math.floor(Date.now() / 1000),
      jti: 'forged-1',
      events: JSON.stringify({ type: 'consent-revoked', sub: MINJI!.sub }),
    })}`;
    const forged = `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    const res = await supertest(h.baseURL).post('/auth/apple/webhook').send({ payload: forged });
    expect([res.status, res.body.error.code]).toEqual([401, 'webhook_invalid']);
    expect((await supertest(h.baseURL).get('/auth/apple/webhook')).status).toBe(401);
    expect((await supertest(h.baseURL).post('/auth/apple/webhook').send({})).status).toBe(401);
    await agent.get('/auth/session').expect(200);
  });
});
