import { startEmulator, type Emulator } from '../src';
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

const NO_SESSION = { error: 'invalid_request', error_description: 'no valid data in session' };
const AUTH_FAILED = { resultcode: '024', message: 'Authentication failed' };

let emulator: Emulator;
let clock = Date.now();

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, now: () => clock });
  emulator.registerClient({
    provider: 'naver',
    clientId: 'strict-naver',
    clientSecret: 'strict-secret',
    redirectUris: [NAVER_REDIRECT],
  });
});

afterAll(() => emulator.stop());

async function errorPage(url: string): Promise<string> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(400);
  expect(res.headers.get('location')).toBeNull();
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  return res.text();
}

describe('authorization errors', () => {
  it('shows an error page, never a redirect, for an unknown client', async () => {
    expect(await errorPage(naverAuthorizeUrl(emulator, { client_id: 'nobody' }))).toContain(
      'client_id',
    );
  });

  it('shows an error page for a redirect_uri the app did not register', async () => {
    const url = naverAuthorizeUrl(emulator, {
      client_id: 'strict-naver',
      redirect_uri: 'https://evil.example/callback',
    });
    expect(await errorPage(url)).toContain('redirect_uri');
  });

  it('requires state', async () => {
    expect(await errorPage(naverAuthorizeUrl(emulator, { state: undefined }))).toContain('state');
  });

  it('redirects unsupported_response_type with the state', async () => {
    const url = new URL(
      await (async () => {
        const res = await fetch(naverAuthorizeUrl(emulator, { response_type: 'token' }), {
          redirect: 'manual',
        });
        return res.headers.get('location') ?? '';
      })(),
    );
    expect(url.searchParams.get('error')).toBe('unsupported_response_type');
    expect(url.searchParams.get('state')).toBe(STATE);
  });

  it("sends a user's cancel back as Canceled+By+User, state first", async () => {
    const url = await naverCallback(emulator, {}, { deny: true });
    expect(url.search).toBe(
      `?state=${STATE}&error=access_denied&error_description=Canceled+By+User`,
    );
  });
});

describe('token errors come with HTTP 200', () => {
  it('refuses a used code with "no valid data in session"', async () => {
    const code = await naverCode(emulator);
    expect((await naverExchange(emulator, code)).status).toBe(200);
    const again = await naverExchange(emulator, code);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(NO_SESSION);
  });

  it('refuses an unknown, an expired and a wrong-state code the same way', async () => {
    const unknown = await naverExchange(emulator, 'no-such-code');
    expect([unknown.status, unknown.body]).toEqual([200, NO_SESSION]);

    const wrongState = await naverExchange(emulator, await naverCode(emulator), {
      state: 'other',
    });
    expect([wrongState.status, wrongState.body]).toEqual([200, NO_SESSION]);

    const code = await naverCode(emulator);
    clock += 11 * 60 * 1000;
    try {
      const expired = await naverExchange(emulator, code);
      expect([expired.status, expired.body]).toEqual([200, NO_SESSION]);
    } finally {
      clock -= 11 * 60 * 1000;
    }
  });

  it("refuses another app's code without burning it", async () => {
    const code = await naverCode(emulator, {}, { client_id: 'strict-naver' });
    const stolen = await naverExchange(emulator, code);
    expect([stolen.status, stolen.body]).toEqual([200, NO_SESSION]);
    const own = await naverExchange(emulator, code, {
      client_id: 'strict-naver',
      client_secret: 'strict-secret',
    });
    expect(own.body.access_token).toEqual(expect.any(String));
  });

  it('answers invalid_client with 200 for a bad secret, an unknown client or a Basic header', async () => {
    const code = await naverCode(emulator);
    const cases: Array<[Record<string, string>, Record<string, string>]> = [
      [{ client_secret: 'wrong' }, {}],
      [{ client_id: 'nobody' }, {}],
      [
        { client_secret: '' },
        { Authorization: `Basic ${btoa(`${NAVER.clientId}:${NAVER.clientSecret}`)}` },
      ],
    ];
    for (const [params, headers] of cases) {
      const form = {
        grant_type: 'authorization_code',
        client_id: NAVER.clientId,
        client_secret: NAVER.clientSecret,
        code,
        state: STATE,
        ...params,
      };
      const res = await naverToken(emulator, form, 'POST', headers);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    }
    // None of those attempts consumed the code.
    expect((await naverExchange(emulator, code)).body.access_token).toEqual(expect.any(String));
  });

  it('refuses the retired grant_type=delete', async () => {
    const { access } = await naverLogin(emulator);
    const res = await naverToken(emulator, {
      grant_type: 'delete',
      client_id: NAVER.clientId,
      client_secret: NAVER.clientSecret,
      access_token: access,
    });
    expect(res.status).toBe(200);
    expect(res.body.error).toBe('unsupported_grant_type');
    expect((await naverMe(emulator, access)).status).toBe(200);
  });

  it('answers "invalid refresh token" for an unknown one or one of another app', async () => {
    const unknown = await naverRefresh(emulator, 'no-such-token');
    const invalid = { error: 'invalid_request', error_description: 'invalid refresh token' };
    expect([unknown.status, unknown.body]).toEqual([200, invalid]);
    const { refresh } = await naverLogin(emulator);
    const other = await naverRefresh(emulator, refresh, {
      client_id: 'strict-naver',
      client_secret: 'strict-secret',
    });
    expect([other.status, other.body]).toEqual([200, invalid]);
  });
});

describe('revoke errors', () => {
  it('answers 401 invalid_client for bad credentials, and revokes nothing', async () => {
    const { access } = await naverLogin(emulator);
    const res = await naverRevoke(emulator, { token: access, client_secret: 'wrong' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect((await naverMe(emulator, access)).status).toBe(200);
  });

  it("does not revoke another app's token", async () => {
    const { access } = await naverLogin(emulator);
    const res = await naverRevoke(emulator, {
      token: access,
      client_id: 'strict-naver',
      client_secret: 'strict-secret',
    });
    expect([res.status, res.text]).toEqual([200, '']);
    expect((await naverMe(emulator, access)).status).toBe(200);
  });
});

describe('profile API errors', () => {
  it('answers 401 with resultcode "024" for a missing, unknown or refresh token', async () => {
    const { refresh } = await naverLogin(emulator);
    for (const token of [undefined, 'AAAAOunknown', refresh]) {
      const res = await naverMe(emulator, token);
      expect([res.status, res.body]).toEqual([401, AUTH_FAILED]);
    }
  });

  it('reads the token from the Authorization header only', async () => {
    const { access } = await naverLogin(emulator);
    const res = await raw(await fetch(`${emulator.origin}/v1/nid/me?access_token=${access}`));
    expect([res.status, res.body]).toEqual([401, AUTH_FAILED]);
  });
});
