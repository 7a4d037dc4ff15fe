import { startEmulator, type Emulator } from '../src';
import {
  KAKAO,
  KAKAO_REDIRECT,
  VERIFIER,
  kakaoApi,
  kakaoAuthorizeUrl,
  kakaoCallback,
  kakaoCode,
  kakaoExchange,
  kakaoLogin,
  kakaoRefresh,
  kakaoToken,
} from './kakao-helpers';

let emulator: Emulator;
let clock = Date.now();

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, now: () => clock });
  emulator.registerClient({
    provider: 'kakao',
    clientId: 'strict-kakao',
    clientSecret: 'strict-secret',
    redirectUris: [KAKAO_REDIRECT],
  });
});

afterAll(() => emulator.stop());

async function errorPage(url: string): Promise<string> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(400);
  expect(res.headers.get('location')).toBeNull();
  return res.text();
}

async function location(url: string): Promise<URL> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

describe('authorization errors', () => {
  it('shows KOE006 on a page, never a redirect, for an unregistered redirect_uri', async () => {
    const url = kakaoAuthorizeUrl(emulator, {
      client_id: 'strict-kakao',
      redirect_uri: 'https://evil.example/callback',
    });
    expect(await errorPage(url)).toContain('KOE006');
  });

  it('shows KOE101 for an unknown app key and KOE205 for an unknown consent item', async () => {
    expect(await errorPage(kakaoAuthorizeUrl(emulator, { client_id: 'nobody' }))).toContain(
      'KOE101',
    );
    const url = kakaoAuthorizeUrl(emulator, { scope: 'profile_nickname,friends' });
    expect(await errorPage(url)).toContain('KOE205');
  });

  it('answers prompt=none with error=consent_required', async () => {
    const url = await location(kakaoAuthorizeUrl(emulator, { prompt: 'none' }));
    expect(url.searchParams.get('error')).toBe('consent_required');
    expect(url.searchParams.get('state')).toBe('kakao-state-123');
  });

  it('refuses PKCE plain, and a challenge without a method, with invalid_request', async () => {
    for (const method of ['plain', undefined]) {
      const url = await location(kakaoAuthorizeUrl(emulator, { code_challenge_method: method }));
      expect(url.searchParams.get('error')).toBe('invalid_request');
    }
  });

  it('refuses response_type=token', async () => {
    const url = await location(kakaoAuthorizeUrl(emulator, { response_type: 'token' }));
    expect(url.searchParams.get('error')).toBe('unsupported_response_type');
  });

  it("sends a user's cancel back percent-encoded, error first", async () => {
    const url = await kakaoCallback(emulator, {}, { deny: true });
    expect(url.search).toBe(
      '?error=access_denied&error_description=User%20denied%20access&state=kakao-state-123',
    );
  });
});

describe('token errors', () => {
  it('KOE320 for a used code, naming the code', async () => {
    const code = await kakaoCode(emulator);
    expect((await kakaoExchange(emulator, code)).status).toBe(200);
    const again = await kakaoExchange(emulator, code);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      error: 'invalid_grant',
      error_description: `authorization code not found for code=${code}`,
      error_code: 'KOE320',
    });
  });

  it('KOE320 for an unknown or expired code', async () => {
    expect((await kakaoExchange(emulator, 'no-such-code')).body.error_code).toBe('KOE320');
    const code = await kakaoCode(emulator);
    clock += 11 * 60 * 1000;
    try {
      const res = await kakaoExchange(emulator, code);
      expect([res.status, res.body.error, res.body.error_code]).toEqual([
        400,
        'invalid_grant',
        'KOE320',
      ]);
    } finally {
      clock -= 11 * 60 * 1000;
    }
  });

  it('KOE303 when redirect_uri differs from the authorization request, and the code is spent', async () => {
    const code = await kakaoCode(emulator);
    const res = await kakaoExchange(emulator, code, { redirect_uri: `${KAKAO_REDIRECT}/other` });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_grant', error_code: 'KOE303' });
    expect((await kakaoExchange(emulator, code)).body.error_code).toBe('KOE320');
  });

  it('KOE010 with 401 for a wrong or missing secret, or one sent by HTTP Basic', async () => {
    const code = await kakaoCode(emulator);
    const basic = `Basic ${btoa(`${KAKAO.clientId}:${KAKAO.clientSecret}`)}`;
    const cases: Array<[Record<string, string>, Record<string, string>]> = [
      [{ client_secret: 'wrong' }, {}],
      [{ client_secret: '' }, {}],
      [{ client_secret: '' }, { Authorization: basic }],
    ];
    for (const [extra, headers] of cases) {
      const form = {
        grant_type: 'authorization_code',
        client_id: KAKAO.clientId,
        redirect_uri: KAKAO_REDIRECT,
        code,
        client_secret: KAKAO.clientSecret,
        code_verifier: VERIFIER,
        ...extra,
      };
      const res = await kakaoToken(emulator, form, headers);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        error: 'invalid_client',
        error_description: expect.any(String),
        error_code: 'KOE010',
      });
    }
    // None of them spent the code.
    expect((await kakaoExchange(emulator, code)).status).toBe(200);
  });

  it('401 invalid_client for an unknown client_id', async () => {
    const res = await kakaoExchange(emulator, await kakaoCode(emulator), { client_id: 'nobody' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'invalid_client', error_code: 'KOE101' });
  });

  it('invalid_grant for a missing or wrong PKCE verifier, and for one without a challenge', async () => {
    const missing = await kakaoExchange(emulator, await kakaoCode(emulator), { code_verifier: '' });
    const wrong = await kakaoExchange(emulator, await kakaoCode(emulator), {
      code_verifier: 'a'.repeat(43),
    });
    const code = await kakaoCode(
      emulator,
      {},
      { code_challenge: undefined, code_challenge_method: undefined },
    );
    const unasked = await kakaoExchange(emulator, code);
    for (const res of [missing, wrong, unasked]) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_grant', error_code: 'KOE320' });
    }
  });

  it('KOE322 for an unknown refresh token, or one of another app', async () => {
    expect((await kakaoRefresh(emulator, 'no-such-token')).body).toEqual({
      error: 'invalid_grant',
      error_description: expect.any(String),
      error_code: 'KOE322',
    });
    const { refresh } = await kakaoLogin(emulator);
    const res = await kakaoRefresh(emulator, refresh, {
      client_id: 'strict-kakao',
      client_secret: 'strict-secret',
    });
    expect([res.status, res.body.error_code]).toEqual([400, 'KOE322']);
  });

  it('refuses other grant types', async () => {
    const res = await kakaoToken(emulator, {
      grant_type: 'password',
      client_id: KAKAO.clientId,
      client_secret: KAKAO.clientSecret,
    });
    expect([res.status, res.body.error]).toEqual([400, 'unsupported_grant_type']);
  });
});

describe('user API errors', () => {
  const INVALID = { msg: 'this access token does not exist', code: -401 };

  it('401 with WWW-Authenticate: Bearer error=invalid_token for a missing, unknown or refresh token', async () => {
    const { refresh } = await kakaoLogin(emulator);
    for (const token of [undefined, 'unknown-token', refresh]) {
      const res = await kakaoApi(emulator, '/v2/user/me', token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer error=invalid_token');
      expect(res.body).toEqual(INVALID);
    }
  });

  it('the same for logout and unlink', async () => {
    for (const path of ['/v1/user/logout', '/v1/user/unlink'] as const) {
      const res = await kakaoApi(emulator, path, 'unknown-token');
      expect([res.status, res.body]).toEqual([401, INVALID]);
      expect(res.headers.get('www-authenticate')).toBe('Bearer error=invalid_token');
    }
  });
});
