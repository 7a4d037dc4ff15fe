import { createRemoteJWKSet, jwtVerify } from 'jose';
import { DEFAULT_USERS, startEmulator, type Emulator } from '../src';
import {
  BIG_ID,
  KAKAO,
  KAKAO_REDIRECT,
  kakaoApi,
  kakaoAuthorizeUrl,
  kakaoCallback,
  kakaoCode,
  kakaoExchange,
  kakaoLogin,
  kakaoRefresh,
  parseUser,
} from './kakao-helpers';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});

afterAll(() => emulator.stop());

const [seoyeon, dohyun, jiwoo] = DEFAULT_USERS.kakao;
const CONNECTED_AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** Unlinks the user, so Kakao forgets what they agreed to before (each test starts afresh). */
async function forget(user: string | undefined) {
  const { access } = await kakaoLogin(emulator, { user });
  await kakaoApi(emulator, '/v1/user/unlink', access);
}

describe('authorize and consent', () => {
  it('lists the accounts and, as checked boxes, the items of the comma-separated scope', async () => {
    const html = await (await fetch(kakaoAuthorizeUrl(emulator))).text();
    expect(html).toContain('Emulated Kakao sign-in');
    expect(html).not.toMatch(/<script|https?:\/\//i);
    for (const user of DEFAULT_USERS.kakao) expect(html).toContain(`value="${user.id}"`);
    // Without login_hint the first account is preselected (not the one without an email).
    expect(html).toContain(`value="${seoyeon?.id}" checked`);
    expect(html).not.toContain(`value="${jiwoo?.id}" checked`);
    for (const item of ['nickname', 'profile_image', 'email']) {
      expect(html).toContain(`<input type="checkbox" name="item" value="${item}" checked>`);
    }
  });

  it('redirects back with exactly code and state', async () => {
    const url = await kakaoCallback(emulator);
    expect(url.origin + url.pathname).toBe(KAKAO_REDIRECT);
    expect([...url.searchParams.keys()]).toEqual(['code', 'state']);
    expect(url.searchParams.get('state')).toBe('kakao-state-123');
  });

  it('preselects the account of login_hint and accepts prompt=login,select_account', async () => {
    const url = kakaoAuthorizeUrl(emulator, {
      login_hint: dohyun?.email,
      prompt: 'login,select_account',
    });
    const html = await (await fetch(url)).text();
    expect(html).toContain(`value="${dohyun?.id}" checked`);
  });
});

describe('token endpoint', () => {
  it("answers Kakao's token response, with a space-separated scope", async () => {
    const res = await kakaoExchange(emulator, await kakaoCode(emulator));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      token_type: 'bearer',
      access_token: expect.any(String),
      expires_in: 21599,
      refresh_token: expect.any(String),
      refresh_token_expires_in: 5184000,
      scope: 'profile_nickname profile_image account_email',
    });
  });

  it('adds an RS256 ID token for openid: issuer, audience, string sub and nonce', async () => {
    await forget(BIG_ID); // Kakao remembers consent: the test above agreed to profile_image
    const code = await kakaoCode(
      emulator,
      { user: BIG_ID },
      {
        scope: 'openid,profile_nickname,account_email',
        nonce: 'n-0S6_WzA2Mj',
      },
    );
    const res = await kakaoExchange(emulator, code);
    expect(res.body.scope).toBe('openid profile_nickname account_email');
    const jwks = createRemoteJWKSet(new URL(`${emulator.origin}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(String(res.body.id_token), jwks, {
      issuer: emulator.origin,
      audience: KAKAO.clientId,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: BIG_ID,
      nonce: 'n-0S6_WzA2Mj',
      nickname: seoyeon?.nickname,
      email: seoyeon?.email,
    });
    expect(payload).not.toHaveProperty('picture');
  });

  it('puts no unverified email in the ID token', async () => {
    const code = await kakaoCode(emulator, { user: dohyun?.id }, { scope: 'openid,account_email' });
    const idToken = String((await kakaoExchange(emulator, code)).body.id_token);
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString());
    expect(claims.sub).toBe(dohyun?.id);
    expect(claims).not.toHaveProperty('email');
  });
});

describe('user API', () => {
  it('writes an id above 2^53 as exact bare digits', async () => {
    const { access } = await kakaoLogin(emulator, { user: BIG_ID });
    const res = await kakaoApi(emulator, '/v2/user/me', access);
    expect(res.status).toBe(200);
    expect(res.text.startsWith(`{"id":${BIG_ID},`)).toBe(true);
    // What a naive JSON.parse would make of it: the reason ids stay strings.
    expect(String(res.body.id)).not.toBe(BIG_ID);
  });

  it('writes the largest 64-bit id exactly too', async () => {
    const max = '9223372036854775807';
    const other = await startEmulator({ users: { kakao: [{ id: max, nickname: 'max' }] } });
    try {
      const { access } = await kakaoLogin(other, { user: max });
      expect(parseUser((await kakaoApi(other, '/v2/user/me', access)).text).id).toBe(max);
      const unlinked = await kakaoApi(other, '/v1/user/unlink', access);
      expect(unlinked.text).toBe(`{"id":${max}}`);
    } finally {
      await other.stop();
    }
  });

  it('shows a consenting account with a verified email in full', async () => {
    const { access } = await kakaoLogin(emulator, { user: BIG_ID });
    const { id, rest } = parseUser((await kakaoApi(emulator, '/v2/user/me', access)).text);
    expect(id).toBe(BIG_ID);
    expect(rest).toEqual({
      connected_at: expect.stringMatching(CONNECTED_AT),
      properties: {
        nickname: seoyeon?.nickname,
        profile_image: seoyeon?.profile_image_url,
        thumbnail_image: seoyeon?.thumbnail_image_url,
      },
      kakao_account: {
        profile_needs_agreement: false,
        profile_nickname_needs_agreement: false,
        profile_image_needs_agreement: false,
        profile: {
          nickname: seoyeon?.nickname,
          thumbnail_image_url: seoyeon?.thumbnail_image_url,
          profile_image_url: seoyeon?.profile_image_url,
          is_default_image: false,
        },
        email_needs_agreement: false,
        is_email_valid: true,
        is_email_verified: true,
        email: seoyeon?.email,
        phone_number_needs_agreement: true, // asked for later (additional consent), if at all
      },
    });
  });

  it('additional consent, remembered: later tokens cover it; 동의 철회 withdraws it (-402)', async () => {
    const user = { user: dohyun?.id };
    const first = await kakaoLogin(emulator, user, { scope: 'shipping_address' });
    const address = (token: string) =>
      fetch(`${emulator.origin}/v1/user/shipping_address`, {
        headers: { Authorization: `Bearer ${token}` },
      });
    expect((await address(first.access)).status).toBe(200);
    // A later sign-in that asks for the profile only still reaches the address.
    const later = await kakaoLogin(emulator, user, { scope: 'profile_nickname' });
    expect(String(later.body.scope).split(' ')).toContain('shipping_address');
    expect((await address(later.access)).status).toBe(200);
    const withdrawn = await fetch(`${emulator.origin}/v2/user/revoke/scopes`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${later.access}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ scopes: '["shipping_address"]' }).toString(),
    });
    expect(withdrawn.status).toBe(200);
    const refused = await address(first.access);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      code: -402,
      required_scopes: ['shipping_address'],
    });
    await kakaoApi(emulator, '/v1/user/unlink', later.access);
  });

  it('reports an unverified email as such', async () => {
    const { access } = await kakaoLogin(emulator, { user: dohyun?.id });
    const { rest } = parseUser((await kakaoApi(emulator, '/v2/user/me', access, 'POST')).text);
    expect(rest.kakao_account).toMatchObject({
      email_needs_agreement: false,
      is_email_valid: true,
      is_email_verified: false,
      email: dohyun?.email,
    });
  });

  it('has no email fields at all for an account without email, and grants no account_email', async () => {
    const { access, body } = await kakaoLogin(emulator, { user: jiwoo?.id });
    expect(body.scope).toBe('profile_nickname profile_image');
    const { rest } = parseUser((await kakaoApi(emulator, '/v2/user/me', access)).text);
    const account = rest.kakao_account as Record<string, unknown>;
    for (const field of ['email_needs_agreement', 'is_email_valid', 'is_email_verified', 'email']) {
      expect(account).not.toHaveProperty(field);
    }
  });
});

describe('logout and unlink', () => {
  it('logout answers the id and ends that login: its access and refresh tokens', async () => {
    const kept = await kakaoLogin(emulator, { user: BIG_ID });
    const { access, refresh } = await kakaoLogin(emulator, { user: BIG_ID });
    const res = await kakaoApi(emulator, '/v1/user/logout', access);
    expect([res.status, res.text]).toEqual([200, `{"id":${BIG_ID}}`]);
    expect((await kakaoApi(emulator, '/v2/user/me', access)).status).toBe(401);
    expect((await kakaoRefresh(emulator, refresh)).body.error_code).toBe('KOE322');
    expect((await kakaoApi(emulator, '/v2/user/me', kept.access)).status).toBe(200);
  });

  it("unlink kills every token the app holds for the user, not other apps' or users'", async () => {
    const other = { clientId: 'kakao-app-2', clientSecret: 'kakao-secret-2' };
    emulator.registerClient({ provider: 'kakao', ...other });
    const first = await kakaoLogin(emulator, { user: dohyun?.id });
    const second = await kakaoLogin(emulator, { user: dohyun?.id });
    const elsewhere = await kakaoLogin(emulator, { user: dohyun?.id }, {}, other);
    const someoneElse = await kakaoLogin(emulator, { user: jiwoo?.id });
    const res = await kakaoApi(emulator, '/v1/user/unlink', second.access);
    expect([res.status, res.text]).toEqual([200, `{"id":${dohyun?.id}}`]);
    for (const login of [first, second]) {
      expect((await kakaoApi(emulator, '/v2/user/me', login.access)).status).toBe(401);
      expect((await kakaoRefresh(emulator, login.refresh)).status).toBe(400);
    }
    expect((await kakaoApi(emulator, '/v2/user/me', elsewhere.access)).status).toBe(200);
    expect((await kakaoApi(emulator, '/v2/user/me', someoneElse.access)).status).toBe(200);
  });
});

describe('counts', () => {
  it('counts Kakao requests under the shared endpoint names', async () => {
    emulator.resetCounts();
    const { access } = await kakaoLogin(emulator);
    await kakaoApi(emulator, '/v2/user/me', access);
    await kakaoApi(emulator, '/v1/user/logout', access);
    await kakaoApi(emulator, '/v1/user/unlink', access);
    await fetch(`${emulator.origin}/.well-known/jwks.json`);
    const counts = Object.fromEntries(
      (['authorize', 'consent', 'token', 'userinfo', 'revoke', 'logout', 'jwks'] as const).map(
        (endpoint) => [endpoint, emulator.count('kakao', endpoint)],
      ),
    );
    expect(counts).toEqual({
      authorize: 1,
      consent: 1,
      token: 1,
      userinfo: 1,
      revoke: 1,
      logout: 1,
      jwks: 1,
    });
    expect(emulator.count('google', 'jwks')).toBe(0);
  });
});
