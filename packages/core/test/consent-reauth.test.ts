// More consent later and a fresh sign-in for sensitive steps (issue 20, parts 1 and 2), through
// the emulator over real HTTP: the scope ledger merged across sign-ins and trimmed when the
// provider refuses, each provider's own way of asking (Kakao's additional consent with openid
// kept, Google's include_granted_scopes, Naver's reprompt and reauthenticate, Kakao's
// prompt=login), requireScopes and requireRecentLogin for browsers and API clients, and a
// return by another account changing nothing.
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import { naver } from '@socialauth/naver';
import {
  consent,
  cookieOf,
  editSession,
  me,
  signInAs,
  startAccountsHarness,
  type AccountsHarness,
} from '@socialauth/testkit';
import type supertest from 'supertest';
import { memoryAccounts, requireRecentLogin, requireScopes, type AccountStore } from '../src';

const KAKAO = '9007199254740997'; // Kakao Alone: a phone number and a shipping address
const OTHER_KAKAO = '9007199254740993';
const GOOGLE = '200000000000000000002';
const CALENDAR = 'https://www.googleapis.com/auth/calendar.readonly';

let h: AccountsHarness;
let accounts: AccountStore;

beforeEach(async () => {
  accounts = memoryAccounts();
  h = await startAccountsHarness(accounts, (emulator) => ({
    providers: [
      google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin }),
      naver({ ...DEFAULT_CLIENTS.naver, origin: emulator.origin }),
      kakao({
        ...DEFAULT_CLIENTS.kakao,
        origin: emulator.origin,
        scopes: ['openid', 'profile_nickname', 'account_email'],
      }),
    ],
    moreScopes: {
      kakao: ['phone_number', 'shipping_address'],
      google: [CALENDAR],
      naver: ['mobile', 'birthday'],
    },
  }));
  h.app.get('/api/scopes/:provider', async (req, res) => {
    res.json({ scopes: await req.socialAuth.scopes(String(req.params.provider)) });
  });
  h.app.get('/checkout', requireScopes('kakao', ['phone_number']), (req, res) => {
    res.json({ checkout: req.user!.id });
  });
  h.app.get('/settings', requireRecentLogin({ maxAge: 300 }), (req, res) => {
    res.json({ settings: req.user!.id, at: req.socialAuth.authenticatedAt?.getTime() });
  });
  h.app.get('/address', async (req, res) => {
    const answer = await req.socialAuth.fetch(
      'kakao',
      `${h.emulator.origin}/v1/user/shipping_address`,
    );
    res.status(answer.status).json(await answer.json());
  });
  // The app gives the item back (Kakao's 동의 철회), as a user's "stop sharing" would.
  h.app.post('/address/withdraw', async (req, res) => {
    const answer = await req.socialAuth.fetch(
      'kakao',
      `${h.emulator.origin}/v2/user/revoke/scopes`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ scopes: '["shipping_address"]' }).toString(),
      },
    );
    res.status(answer.status).json(await answer.json());
  });
});
afterEach(() => h.close());

const scopes = async (provider: string, agent = h.agent) =>
  ((await agent.get(`/api/scopes/${provider}`).expect(200)).body as { scopes: string[] }).scopes;

/** `GET <path>` as a browser: the redirect to the provider, as a URL. */
async function startAt(path: string, agent = h.agent): Promise<URL> {
  const res = await agent.get(path).set('Accept', 'text/html').expect(302);
  return new URL(res.headers.location as string, h.baseURL);
}

/** The provider's answer delivered to the app as a browser; the response. */
async function answer(
  authorize: URL,
  options: Parameters<typeof consent>[1],
  agent: supertest.Agent = h.agent,
) {
  return agent.get(await consent(authorize, options)).set('Accept', 'text/html');
}

/** The ids of the signed-in sessions in the store. */
function sessionIds(): string[] {
  const raw = (h.store as unknown as { sessions: Record<string, string> }).sessions;
  return Object.keys(raw).filter((id) => raw[id]!.includes('"user"'));
}

/** The agent's session in the store (the harness keeps one per agent in these tests). */
function storedSession(): { authenticatedAt?: number; user?: { id: string } } {
  const raw = (h.store as unknown as { sessions: Record<string, string> }).sessions;
  const all = Object.values(raw).map((json) => JSON.parse(json) as { socialauth?: object });
  return (all.find((s) => s.socialauth && 'user' in s.socialauth)?.socialauth ?? {}) as {
    authenticatedAt?: number;
    user?: { id: string };
  };
}

describe('more consent later (Kakao additional consent)', () => {
  test('asks Kakao for the new item with openid kept, and records it beside the old ones', async () => {
    await signInAs(h, 'kakao', KAKAO);
    const userId = (await me(h.agent)).user!.id;
    expect(await scopes('kakao')).toEqual(['account_email', 'openid', 'profile_nickname']);

    const authorize = await startAt('/auth/kakao?scope=phone_number&next=/checkout');
    // Kakao separates scopes with commas; openid keeps the ID token coming.
    expect(authorize.searchParams.get('scope')).toBe('openid,phone_number');
    const sid = sessionIds();
    const back = await answer(authorize, { user: KAKAO });
    expect(back.status).toBe(302);
    expect(back.headers.location).toBe('/checkout');
    // The user did not change: no new session id was needed.
    expect(sessionIds()).toEqual(sid);
    expect(await scopes('kakao')).toEqual([
      'account_email',
      'openid',
      'phone_number',
      'profile_nickname',
    ]);
    expect((await me(h.agent)).user!.id).toBe(userId);
    const data = (await h.agent.get('/checkout').expect(200)).body as { checkout: string };
    expect(data.checkout).toBe(userId);
    // What Kakao now shares is in the stored provider data.
    const identity = await accounts.findIdentity('kakao', KAKAO);
    expect(identity?.profile).toContain('+82 10-9876-5432');

    // A later ordinary sign-in asks for the configured scopes only: the ledger keeps the rest.
    await signInAs(h, 'kakao', KAKAO);
    expect(await scopes('kakao')).toContain('phone_number');
  });

  test('declined: the account and its scopes stay as they were', async () => {
    await signInAs(h, 'kakao', KAKAO);
    const before = await accounts.findIdentity('kakao', KAKAO);
    const authorize = await startAt('/auth/kakao?scope=phone_number&next=/checkout');
    const back = await answer(authorize, { user: KAKAO, deny: true });
    expect(back.status).toBe(302);
    const page = await h.agent.get(back.headers.location as string).expect(200);
    expect(page.text).toContain('access_denied');
    expect(await accounts.findIdentity('kakao', KAKAO)).toEqual(before);
    expect(await scopes('kakao')).not.toContain('phone_number');
    expect((await me(h.agent)).user).toBeDefined(); // still signed in

    // The item unchecked on the consent screen is not recorded either.
    const again = await startAt('/auth/kakao?scope=phone_number,shipping_address');
    await answer(again, { user: KAKAO, decline: ['mobile'] });
    expect(await scopes('kakao')).toEqual([
      'account_email',
      'openid',
      'profile_nickname',
      'shipping_address',
    ]);
  });

  test('another Kakao account at the consent screen is wrong_identity, and nothing changes', async () => {
    await signInAs(h, 'kakao', KAKAO);
    const userId = (await me(h.agent)).user!.id;
    const authorize = await startAt('/auth/kakao?scope=phone_number');
    const back = await answer(authorize, { user: OTHER_KAKAO });
    expect(back.headers.location).toMatch(/error=wrong_identity/);
    expect(await accounts.findIdentity('kakao', OTHER_KAKAO)).toBeUndefined();
    expect(await scopes('kakao')).not.toContain('phone_number');
    expect((await me(h.agent)).user!.id).toBe(userId);
    const page = await h.agent.get(back.headers.location as string).set('Accept-Language', 'ko');
    expect(page.text).toContain('다른 계정으로 로그인했어요');
  });

  test('bad asks: not allowed, not signed in, not scope values, scope with reauth', async () => {
    const anonymous = await h.agent
      .get('/auth/kakao?scope=phone_number')
      .set('Accept', 'application/json');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
    await signInAs(h, 'kakao', KAKAO);
    const ask = (query: string) =>
      h.agent.get(`/auth/kakao?${query}`).set('Accept', 'application/json');
    const refused = await ask('scope=talk_message');
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('scope_not_allowed');
    // The allow-list is per provider: Google's extra scope is not Kakao's.
    expect((await ask(`scope=${encodeURIComponent(CALENDAR)}`)).body.error.code).toBe(
      'scope_not_allowed',
    );
    expect((await ask('scope=')).body.error.code).toBe('invalid_request');
    // No Google identity to add to: connect Google first.
    const google = await h.agent
      .get(`/auth/google?scope=${encodeURIComponent(CALENDAR)}`)
      .set('Accept', 'application/json');
    expect(google.status).toBe(404);
    expect(google.body.error.code).toBe('unknown_provider');
    expect((await ask('scope=%22x%22')).body.error.code).toBe('invalid_request');
    expect((await ask('scope=a&scope=b')).body.error.code).toBe('invalid_request');
    expect((await ask('scope=phone_number&reauth=60')).body.error.code).toBe('invalid_request');
    expect((await ask('reauth=-1')).body.error.code).toBe('invalid_request');
    expect((await ask('reauth=86401')).body.error.code).toBe('invalid_request');
    // The JSON start of an allowed ask: where to navigate.
    const json = await ask('scope=phone_number');
    expect(json.status).toBe(200);
    expect(new URL(json.body.redirectUrl as string).searchParams.get('scope')).toBe(
      'openid,phone_number',
    );
  });

  test('requireScopes: a browser is sent to consent and back, an API client told what to ask', async () => {
    await signInAs(h, 'kakao', KAKAO);
    const json = await h.agent.get('/checkout').set('Accept', 'application/json');
    expect(json.status).toBe(403);
    expect(json.body).toMatchObject({
      error: { code: 'consent_required' },
      provider: 'kakao',
      scopes: ['phone_number'],
      start: '/auth/kakao?scope=phone_number&next=%2Fcheckout',
    });
    const browser = await h.agent.get('/checkout').set('Accept', 'text/html').expect(302);
    expect(browser.headers.location).toBe(json.body.start);
    const authorize = await startAt(browser.headers.location as string);
    const back = await answer(authorize, { user: KAKAO });
    expect(back.headers.location).toBe('/checkout');
    await h.agent.get('/checkout').set('Accept', 'application/json').expect(200);
    // Anonymous: as requireAuth.
    await h.newAgent().get('/checkout').set('Accept', 'application/json').expect(401);
  });

  test("the provider's refusal takes a withdrawn scope off the ledger (Kakao -402)", async () => {
    await signInAs(h, 'kakao', KAKAO);
    await answer(await startAt('/auth/kakao?scope=shipping_address'), { user: KAKAO });
    expect(await scopes('kakao')).toContain('shipping_address');
    const ok = await h.agent.get('/address').expect(200);
    expect(JSON.stringify(ok.body)).toContain('사직로');
    // A later sign-in asks for the configured items only; Kakao's token still covers the rest.
    await signInAs(h, 'kakao', KAKAO);
    expect(await scopes('kakao')).toContain('shipping_address');
    await h.agent.get('/address').expect(200);
    // Withdrawn at Kakao: the ledger does not know until Kakao refuses the call (-402,
    // required_scopes [shipping_address]), and then it does.
    await h.agent.post('/address/withdraw').expect(200);
    expect(await scopes('kakao')).toContain('shipping_address');
    const refused = await h.agent.get('/address').expect(403);
    expect(refused.body).toMatchObject({ code: -402, required_scopes: ['shipping_address'] });
    expect(await scopes('kakao')).not.toContain('shipping_address');
    expect(await scopes('kakao')).toContain('openid');
  });
});

describe("each provider's own way of asking", () => {
  test('Google: include_granted_scopes, the new scope with the configured ones', async () => {
    await signInAs(h, 'google', GOOGLE);
    // Google answers with its expanded names, and the ledger keeps what it said.
    expect(await scopes('google')).toEqual([
      'https://www.googleapis.com/auth/userinfo.email',
      'https://www.googleapis.com/auth/userinfo.profile',
      'openid',
    ]);
    const authorize = await startAt(`/auth/google?scope=${encodeURIComponent(CALENDAR)}`);
    expect(authorize.searchParams.get('include_granted_scopes')).toBe('true');
    expect(authorize.searchParams.get('scope')).toBe(`openid email profile ${CALENDAR}`);
    const back = await answer(authorize, { user: GOOGLE });
    expect(back.status).toBe(302);
    expect(await scopes('google')).toContain(CALENDAR);
  });

  test('Naver: auth_type=reprompt asks again, and the granted items are the ledger', async () => {
    const authorize = await startAt('/auth/naver');
    await answer(authorize, { user: 'minji', decline: ['mobile', 'birthday'] });
    const first = await scopes('naver');
    expect(first).toEqual(expect.arrayContaining(['email', 'nickname']));
    expect(first).not.toContain('mobile');
    const again = await startAt('/auth/naver?scope=mobile');
    expect(again.searchParams.get('auth_type')).toBe('reprompt');
    await answer(again, { user: 'minji', decline: ['birthday'] });
    expect(await scopes('naver')).toContain('mobile');
    expect(await scopes('naver')).not.toContain('birthday');
  });
});

describe('fresh sign-in for sensitive steps (requireRecentLogin)', () => {
  const age = (seconds: number) =>
    editSession(h.store, (s) => {
      if (s.socialauth?.user) s.socialauth.authenticatedAt = Date.now() - seconds * 1000;
    });

  test('a recent sign-in passes; an old one signs in again at Kakao (prompt=login), same session', async () => {
    await signInAs(h, 'kakao', KAKAO);
    const userId = (await me(h.agent)).user!.id;
    await h.agent.get('/settings').set('Accept', 'application/json').expect(200);
    age(3600);
    const json = await h.agent.get('/settings').set('Accept', 'application/json');
    expect(json.status).toBe(401);
    expect(json.body).toMatchObject({
      error: { code: 'recent_login_required' },
      provider: 'kakao',
      start: '/auth/kakao?reauth=300&next=%2Fsettings',
    });
    const browser = await h.agent.get('/settings').set('Accept', 'text/html').expect(302);
    const authorize = await startAt(browser.headers.location as string);
    expect(authorize.searchParams.get('prompt')).toBe('login');
    const before = storedSession().authenticatedAt!;
    const sid = sessionIds();
    const back = await answer(authorize, { user: KAKAO });
    expect(back.headers.location).toBe('/settings');
    expect(sessionIds()).toEqual(sid); // the same session id, whatever cookie is re-sent
    if (cookieOf(back)) expect(cookieOf(back)).toContain(encodeURIComponent(`s:${sid[0]}.`));
    expect(storedSession().authenticatedAt).toBeGreaterThan(before + 3000 * 1000);
    const ok = (await h.agent.get('/settings').set('Accept', 'application/json').expect(200))
      .body as { settings: string };
    expect(ok.settings).toBe(userId);
  });

  test('another account at the provider is wrong_identity: same user, still not recent', async () => {
    await signInAs(h, 'kakao', KAKAO);
    const userId = (await me(h.agent)).user!.id;
    age(3600);
    const before = storedSession().authenticatedAt;
    const authorize = await startAt('/auth/kakao?reauth=300&next=/settings');
    const back = await answer(authorize, { user: OTHER_KAKAO });
    expect(back.headers.location).toMatch(/error=wrong_identity/);
    expect((await me(h.agent)).user!.id).toBe(userId);
    expect(storedSession().authenticatedAt).toBe(before);
    expect(await accounts.findIdentity('kakao', OTHER_KAKAO)).toBeUndefined();
    await h.agent.get('/settings').set('Accept', 'application/json').expect(401);
  });

  test('Naver asks with auth_type=reauthenticate, Google with prompt=select_account', async () => {
    await signInAs(h, 'naver', 'minji');
    age(3600);
    const naverAsk = await startAt(
      (await h.agent.get('/settings').expect(302)).headers.location as string,
    );
    expect(naverAsk.searchParams.get('auth_type')).toBe('reauthenticate');
    await answer(naverAsk, { user: 'minji' });
    await h.agent.get('/settings').set('Accept', 'application/json').expect(200);

    const laptop = h.newAgent();
    await signInAs(h, 'google', GOOGLE, laptop);
    age(3600);
    const googleAsk = await startAt('/auth/google?reauth=300&next=/settings', laptop);
    expect(googleAsk.searchParams.get('prompt')).toBe('select_account');
    expect(googleAsk.searchParams.get('max_age')).toBeNull(); // Google documents none
    await answer(googleAsk, { user: GOOGLE }, laptop);
    await laptop.get('/settings').set('Accept', 'application/json').expect(200);
  });

  test('maxAge is checked when the guard is made', () => {
    expect(() => requireRecentLogin({ maxAge: -1 })).toThrow(/maxAge must be 0 to 86400/);
    expect(() => requireRecentLogin({ maxAge: 1.5 })).toThrow(/config_invalid|maxAge/);
  });
});
