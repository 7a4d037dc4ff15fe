import {
  DEFAULT_CLIENTS,
  DEFAULT_USERS,
  startEmulator,
  type Emulator,
  type KakaoUser,
  type NaverUser,
} from '../src';
import { authorizationCode, exchange, str } from './helpers';
import { BIG_ID, kakaoApi, kakaoLogin, parseUser } from './kakao-helpers';
import { NAVER, naverLogin, naverMe } from './naver-helpers';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(() => emulator.stop());

describe('default clients and users', () => {
  it('pre-registers a Naver and a Kakao client', () => {
    expect(DEFAULT_CLIENTS.naver).toEqual({
      clientId: 'emulator-naver-client-id',
      clientSecret: 'emulator-naver-client-secret',
    });
    expect(DEFAULT_CLIENTS.kakao).toEqual({
      clientId: 'emulator-kakao-client-id',
      clientSecret: 'emulator-kakao-client-secret',
      adminKey: 'emulator-kakao-admin-key',
      appId: '1000001',
    });
  });

  it('ships a full Naver account and a sparse one without email', () => {
    const [full, sparse] = DEFAULT_USERS.naver;
    for (const field of ['nickname', 'name', 'email', 'gender', 'age', 'birthday', 'birthyear']) {
      expect(full).toHaveProperty(field);
    }
    expect(full).toHaveProperty('profile_image');
    expect(full).toHaveProperty('mobile');
    expect(sparse).toBeDefined();
    expect(sparse).not.toHaveProperty('email');
    expect(emulator.users('naver')).toEqual(DEFAULT_USERS.naver);
  });

  it('ships Kakao accounts: an id above 2^53, an unverified email, no email', () => {
    const users = DEFAULT_USERS.kakao;
    expect(users.some((user) => BigInt(user.id) > 2n ** 53n)).toBe(true);
    expect(users.some((user) => user.email && user.is_email_verified === false)).toBe(true);
    expect(users.some((user) => user.email === undefined)).toBe(true);
    for (const user of users) expect(typeof user.id).toBe('string');
    expect(emulator.users('kakao')).toEqual(users);
  });
});

describe('subject', () => {
  it("is Google's sub, Kakao's id and Naver's per-app id", () => {
    const google = DEFAULT_USERS.google[0]?.sub ?? '';
    expect(emulator.subject('google', google, 'any')).toBe(google);
    expect(emulator.subject('kakao', BIG_ID, 'any')).toBe(BIG_ID);
    const a = emulator.subject('naver', 'minji', 'app-a');
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(emulator.subject('naver', 'minji', 'app-b')).not.toBe(a);
    expect(emulator.subject('naver', 'junho', 'app-a')).not.toBe(a);
  });

  it('throws for an unknown account', () => {
    expect(() => emulator.subject('naver', 'nobody', NAVER.clientId)).toThrow(TypeError);
  });
});

describe('custom users', () => {
  it('replaces the Naver and Kakao accounts', async () => {
    const hana: NaverUser = { key: 'hana', nickname: 'hana', email: 'hana@naver.com' };
    const max: KakaoUser = { id: '9223372036854775807', nickname: 'max' };
    const other = await startEmulator({ users: { naver: [hana], kakao: [max] } });
    try {
      expect(other.users('naver')).toEqual([hana]);
      expect(other.users('google')).toEqual(DEFAULT_USERS.google);
      const naver = await naverLogin(other, { user: 'hana' });
      expect((await naverMe(other, naver.access)).body.response).toEqual({
        id: other.subject('naver', 'hana', NAVER.clientId),
        nickname: 'hana',
        email: 'hana@naver.com',
      });
      const kakao = await kakaoLogin(other, { user: max.id });
      expect(parseUser((await kakaoApi(other, '/v2/user/me', kakao.access)).text).id).toBe(max.id);
    } finally {
      await other.stop();
    }
  });

  it('refuses bad Kakao ids, duplicate Naver keys and unknown genders', async () => {
    const kakao = (id: string) => startEmulator({ users: { kakao: [{ id }] } });
    await expect(kakao('9223372036854775808')).rejects.toThrow(/user\.id/);
    await expect(kakao('12a')).rejects.toThrow(/user\.id/);
    await expect(kakao('')).rejects.toThrow(/user\.id/);
    await expect(kakao('007')).rejects.toThrow(/user\.id/);
    const hana: NaverUser = { key: 'hana' };
    await expect(startEmulator({ users: { naver: [hana, hana] } })).rejects.toThrow(/duplicated/);
    const odd = { key: 'x', gender: 'X' } as unknown as NaverUser;
    await expect(startEmulator({ users: { naver: [odd] } })).rejects.toThrow(/user\.gender/);
  });
});

describe('one origin, separate providers', () => {
  it("serves every provider on the one origin and accepts no provider's token at another's API", async () => {
    const google = str(
      (await exchange(emulator, await authorizationCode(emulator))).body.access_token,
    );
    const naver = await naverLogin(emulator);
    const kakao = await kakaoLogin(emulator);
    expect((await naverMe(emulator, google)).status).toBe(401);
    expect((await naverMe(emulator, kakao.access)).status).toBe(401);
    expect((await kakaoApi(emulator, '/v2/user/me', naver.access)).status).toBe(401);
    expect((await kakaoApi(emulator, '/v2/user/me', google)).status).toBe(401);
    const res = await fetch(`${emulator.origin}/v1/userinfo`, {
      headers: { Authorization: `Bearer ${naver.access}` },
    });
    expect(res.status).toBe(401);
  });

  it('registers clients per provider: a Google client id is unknown to Kakao', async () => {
    const url = new URL(`${emulator.origin}/oauth/authorize`);
    url.search = new URLSearchParams({
      client_id: DEFAULT_CLIENTS.google.clientId,
      redirect_uri: 'http://localhost:3000/cb',
      response_type: 'code',
    }).toString();
    const res = await fetch(url);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('KOE101');
  });
});
