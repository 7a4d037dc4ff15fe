import { DEFAULT_USERS, startEmulator, type Emulator } from '../src';
import {
  NAVER,
  NAVER_REDIRECT,
  STATE,
  naverAuthorizeUrl,
  naverCallback,
  naverCode,
  naverExchange,
  naverLogin,
  naverMe,
  naverRefresh,
  naverRevoke,
  naverToken,
  raw,
} from './naver-helpers';

let emulator: Emulator;
let clock = Date.now();

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, now: () => clock });
});

afterAll(() => emulator.stop());

const [minji, junho] = DEFAULT_USERS.naver;

describe('authorize and consent', () => {
  it('shows every account and every profile item, checked, on a script-free page', async () => {
    const res = await fetch(naverAuthorizeUrl(emulator));
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('Emulated Naver sign-in');
    expect(html).not.toMatch(/<script|https?:\/\//i);
    for (const user of DEFAULT_USERS.naver) expect(html).toContain(`value="${user.key}"`);
    for (const item of ['nickname', 'email', 'gender', 'age', 'profile_image', 'mobile']) {
      expect(html).toContain(`<input type="checkbox" name="item" value="${item}" checked>`);
    }
  });

  it('redirects back with exactly code and state', async () => {
    const url = await naverCallback(emulator, {}, { user: 'minji' });
    expect(url.origin + url.pathname).toBe(NAVER_REDIRECT);
    expect([...url.searchParams.keys()]).toEqual(['code', 'state']);
    expect(url.searchParams.get('state')).toBe(STATE);
  });

  it('accepts the authorization request by POST too, and ignores scope and PKCE', async () => {
    const res = await fetch(`${emulator.origin}/oauth2.0/authorize`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        response_type: 'code',
        client_id: NAVER.clientId,
        redirect_uri: NAVER_REDIRECT,
        state: STATE,
        scope: 'no-such-scope',
        code_challenge: 'x',
        auth_type: 'reprompt',
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('name="tx"');
  });
});

describe('token endpoint', () => {
  it('answers expires_in as the string "3600" and token_type "bearer"', async () => {
    const res = await naverExchange(emulator, await naverCode(emulator));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^AAAA/),
      refresh_token: expect.any(String),
      token_type: 'bearer',
      expires_in: '3600',
    });
    expect(typeof res.body.expires_in).toBe('string');
    expect(res.text).toMatch(/"expires_in":\s*"3600"/);
  });

  it('takes its parameters, secret included, from the query of a GET', async () => {
    const code = await naverCode(emulator);
    const res = await naverToken(
      emulator,
      {
        grant_type: 'authorization_code',
        client_id: NAVER.clientId,
        client_secret: NAVER.clientSecret,
        code,
        state: STATE,
      },
      'GET',
    );
    expect(res.body.access_token).toEqual(expect.any(String));
  });

  it('refreshes without returning a refresh_token, and keeps the old one valid', async () => {
    const { refresh } = await naverLogin(emulator);
    const first = await naverRefresh(emulator, refresh);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: '3600',
    });
    expect(first.body).not.toHaveProperty('refresh_token');
    expect((await naverMe(emulator, String(first.body.access_token))).status).toBe(200);
    const second = await naverRefresh(emulator, refresh);
    expect(second.body.access_token).toEqual(expect.any(String));
    expect(second.body.access_token).not.toBe(first.body.access_token);
  });

  it('expires access tokens after an hour, while the refresh token lives on', async () => {
    const { access, refresh } = await naverLogin(emulator);
    clock += 3600 * 1000;
    try {
      expect((await naverMe(emulator, access)).status).toBe(401);
      const renewed = await naverRefresh(emulator, refresh);
      expect((await naverMe(emulator, String(renewed.body.access_token))).status).toBe(200);
    } finally {
      clock -= 3600 * 1000;
    }
  });
});

describe('profile API', () => {
  it('returns every field of a full account under response, with resultcode "00"', async () => {
    const { access } = await naverLogin(emulator, { user: 'minji' });
    const res = await naverMe(emulator, access);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      resultcode: '00',
      message: 'success',
      response: {
        id: emulator.subject('naver', 'minji', NAVER.clientId),
        nickname: minji?.nickname,
        name: '김민지',
        email: 'minji.kim@naver.com',
        gender: 'F',
        age: '40-49',
        birthday: '03-14',
        birthyear: '1983',
        profile_image: minji?.profile_image,
        mobile: '010-1234-5678',
      },
    });
  });

  it('omits what the account does not have', async () => {
    const { access } = await naverLogin(emulator, { user: 'junho' });
    const res = await naverMe(emulator, access);
    expect(res.body.response).toEqual({
      id: emulator.subject('naver', 'junho', NAVER.clientId),
      nickname: junho?.nickname,
      gender: 'U',
    });
  });

  it('gives one account different base64url ids in two apps', async () => {
    const other = { clientId: 'naver-app-2', clientSecret: 'naver-secret-2' };
    emulator.registerClient({ provider: 'naver', ...other });
    const idIn = async (client: typeof other) => {
      const { access } = await naverLogin(emulator, { user: 'minji' }, client);
      return ((await naverMe(emulator, access)).body.response as { id: string }).id;
    };
    const first = await idIn(NAVER);
    const second = await idIn(other);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first).not.toBe(second);
    expect(first).toBe(emulator.subject('naver', 'minji', NAVER.clientId));
    expect(second).toBe(emulator.subject('naver', 'minji', other.clientId));
    // Stable: the same account in the same app gets the same id on every login.
    expect(await idIn(NAVER)).toBe(first);
  });
});

describe('revoke', () => {
  it('answers 200 with an empty body, and a revoked refresh token takes its access tokens along', async () => {
    const { access, refresh } = await naverLogin(emulator);
    const refreshed = String((await naverRefresh(emulator, refresh)).body.access_token);
    const res = await naverRevoke(emulator, { token: refresh, token_type_hint: 'refresh_token' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect((await naverRefresh(emulator, refresh)).body).toEqual({
      error: 'invalid_request',
      error_description: 'invalid refresh token',
    });
    expect((await naverMe(emulator, access)).status).toBe(401);
    expect((await naverMe(emulator, refreshed)).status).toBe(401);
  });

  it('revokes one access token and nothing else', async () => {
    const { access, refresh } = await naverLogin(emulator);
    const res = await naverRevoke(emulator, { token: access, token_type_hint: 'access_token' });
    expect([res.status, res.text]).toEqual([200, '']);
    expect((await naverMe(emulator, access)).status).toBe(401);
    const renewed = await naverRefresh(emulator, refresh);
    expect((await naverMe(emulator, String(renewed.body.access_token))).status).toBe(200);
  });

  it('answers 200 with an empty body for an unknown token too', async () => {
    const res = await naverRevoke(emulator, { token: 'AAAAOnot-a-token' });
    expect([res.status, res.text]).toEqual([200, '']);
  });
});

describe('counts', () => {
  it('counts Naver requests under the shared endpoint names', async () => {
    emulator.resetCounts();
    const { access, refresh } = await naverLogin(emulator);
    await naverMe(emulator, access);
    await naverRevoke(emulator, { token: refresh });
    await raw(await fetch(`${emulator.origin}/oauth2.0/token`));
    expect(emulator.count('naver', 'authorize')).toBe(1);
    expect(emulator.count('naver', 'consent')).toBe(1);
    expect(emulator.count('naver', 'token')).toBe(2);
    expect(emulator.count('naver', 'userinfo')).toBe(1);
    expect(emulator.count('naver', 'revoke')).toBe(1);
    expect(emulator.count('google', 'token')).toBe(0);
    expect(emulator.count('kakao', 'token')).toBe(0);
  });
});
