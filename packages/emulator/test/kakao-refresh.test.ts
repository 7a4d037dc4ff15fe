import { startEmulator, type Emulator } from '../src';
import { kakaoApi, kakaoLogin, kakaoRefresh } from './kakao-helpers';

const DAY = 24 * 60 * 60 * 1000;

let emulator: Emulator;
let clock = Date.now();

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, now: () => clock });
});

afterAll(() => emulator.stop());

/** Runs `body` with the clock moved forward by `ms`, then moves it back. */
async function later<T>(ms: number, body: () => Promise<T>): Promise<T> {
  clock += ms;
  try {
    return await body();
  } finally {
    clock -= ms;
  }
}

describe('refresh with more than a month of the refresh token left', () => {
  it('returns a new access token and no refresh token; the old one stays valid', async () => {
    const { access, refresh } = await kakaoLogin(emulator);
    const res = await kakaoRefresh(emulator, refresh);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      token_type: 'bearer',
      access_token: expect.any(String),
      expires_in: 21599,
    });
    expect(res.body.access_token).not.toBe(access);
    expect((await kakaoApi(emulator, '/v2/user/me', String(res.body.access_token))).status).toBe(
      200,
    );
    expect((await kakaoRefresh(emulator, refresh)).status).toBe(200);
  });

  it('still keeps the refresh token after 29 days (31 left) and at exactly 30 days left', async () => {
    const { refresh } = await kakaoLogin(emulator);
    for (const days of [29, 30]) {
      const res = await later(days * DAY, () => kakaoRefresh(emulator, refresh));
      expect([days, res.status]).toEqual([days, 200]);
      expect(res.body).not.toHaveProperty('refresh_token');
      expect(res.body).not.toHaveProperty('refresh_token_expires_in');
    }
  });
});

describe('refresh with less than a month left', () => {
  it('after 31 days (29 left) rotates the refresh token for a fresh two months', async () => {
    const { refresh } = await kakaoLogin(emulator);
    await later(31 * DAY, async () => {
      const res = await kakaoRefresh(emulator, refresh);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        token_type: 'bearer',
        access_token: expect.any(String),
        expires_in: 21599,
        refresh_token: expect.any(String),
        refresh_token_expires_in: 5184000,
      });
      const rotated = String(res.body.refresh_token);
      expect(rotated).not.toBe(refresh);
      // The replaced one is gone; the new one works and, with two months left, is not rotated.
      expect((await kakaoRefresh(emulator, refresh)).body.error_code).toBe('KOE322');
      const next = await kakaoRefresh(emulator, rotated);
      expect(next.status).toBe(200);
      expect(next.body).not.toHaveProperty('refresh_token');
    });
  });

  it('the rotated token is valid for 60 days from the rotation', async () => {
    const { refresh } = await kakaoLogin(emulator);
    const rotated = await later(31 * DAY, async () =>
      String((await kakaoRefresh(emulator, refresh)).body.refresh_token),
    );
    // 31 + 59 days after login: past the first token's life, within the rotated one's.
    expect((await later(90 * DAY, () => kakaoRefresh(emulator, rotated))).status).toBe(200);
    const expired = await later(92 * DAY, () => kakaoRefresh(emulator, rotated));
    expect(expired.body.error_code).toBe('KOE322');
  });
});

describe('lifetimes', () => {
  it('expires access tokens after 21599 seconds, and refresh tokens after 60 days', async () => {
    const { access, refresh } = await kakaoLogin(emulator);
    await later(21599 * 1000, async () => {
      expect((await kakaoApi(emulator, '/v2/user/me', access)).status).toBe(401);
    });
    const res = await later(60 * DAY, () => kakaoRefresh(emulator, refresh));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_grant',
      error_description: expect.any(String),
      error_code: 'KOE322',
    });
  });

  it('issues a new ID token, without nonce, on refresh when openid was granted', async () => {
    const { refresh } = await kakaoLogin(
      emulator,
      {},
      { scope: 'openid,profile_nickname', nonce: 'abc' },
    );
    const res = await kakaoRefresh(emulator, refresh);
    const claims = JSON.parse(
      Buffer.from(String(res.body.id_token).split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(claims).toMatchObject({ aud: 'emulator-kakao-client-id', iss: emulator.origin });
    expect(claims).not.toHaveProperty('nonce');
  });
});
