import {
  approveConsent,
  DEFAULT_USERS,
  startEmulator,
  type ConsentItem,
  type Emulator,
} from '../src';
import { authorizeUrl } from './helpers';
import {
  BIG_ID,
  kakaoApi,
  kakaoAuthorizeUrl,
  kakaoExchange,
  kakaoCode,
  kakaoLogin,
  parseUser,
} from './kakao-helpers';
import { NAVER, naverAuthorizeUrl, naverLogin, naverMe } from './naver-helpers';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});

afterAll(() => emulator.stop());

const [seoyeon] = DEFAULT_USERS.kakao;

async function naverProfile(decline: ConsentItem[]) {
  const { access } = await naverLogin(emulator, { user: 'minji', decline });
  return (await naverMe(emulator, access)).body.response as Record<string, string>;
}

async function kakaoAccount(decline: ConsentItem[]) {
  // Kakao remembers consent until the user unlinks: each test starts from a fresh link.
  const before = await kakaoLogin(emulator, { user: BIG_ID });
  await kakaoApi(emulator, '/v1/user/unlink', before.access, 'POST');
  const { access } = await kakaoLogin(emulator, { user: BIG_ID, decline });
  const { rest } = parseUser((await kakaoApi(emulator, '/v2/user/me', access)).text);
  return rest as { properties?: Record<string, unknown>; kakao_account: Record<string, unknown> };
}

describe('Naver', () => {
  it('leaves declined items out of the profile and keeps the rest', async () => {
    const profile = await naverProfile(['email', 'profile_image']);
    expect(profile).not.toHaveProperty('email');
    expect(profile).not.toHaveProperty('profile_image');
    expect(profile).toMatchObject({ nickname: 'minji', name: '김민지', mobile: '010-1234-5678' });
  });

  it('sends only the id when every item is declined', async () => {
    const all = ['nickname', 'name', 'email', 'gender', 'age', 'birthday', 'birthyear'] as const;
    const profile = await naverProfile([...all, 'profile_image', 'mobile']);
    expect(profile).toEqual({ id: emulator.subject('naver', 'minji', NAVER.clientId) });
  });
});

describe('Kakao', () => {
  it('a declined email: email_needs_agreement true, no address, no account_email scope', async () => {
    const code = await kakaoCode(
      emulator,
      { user: BIG_ID, decline: ['email'] },
      {
        scope: 'openid,profile_nickname,profile_image,account_email',
      },
    );
    const tokens = await kakaoExchange(emulator, code);
    expect(tokens.body.scope).toBe('openid profile_nickname profile_image');
    const claims = JSON.parse(
      Buffer.from(String(tokens.body.id_token).split('.')[1] ?? '', 'base64url').toString(),
    );
    expect(claims).not.toHaveProperty('email');
    const me = await kakaoApi(emulator, '/v2/user/me', String(tokens.body.access_token));
    const account = parseUser(me.text).rest.kakao_account as Record<string, unknown>;
    expect(account.email_needs_agreement).toBe(true);
    for (const field of ['email', 'is_email_valid', 'is_email_verified']) {
      expect(account).not.toHaveProperty(field);
    }
  });

  it('a declined profile image: profile_image_needs_agreement true, nickname kept', async () => {
    const { properties, kakao_account: account } = await kakaoAccount(['profile_image']);
    expect(properties).toEqual({ nickname: seoyeon?.nickname });
    expect(account).toMatchObject({
      profile_needs_agreement: false,
      profile_nickname_needs_agreement: false,
      profile_image_needs_agreement: true,
      profile: { nickname: seoyeon?.nickname },
    });
    expect(account.profile).toEqual({ nickname: seoyeon?.nickname });
  });

  it('a declined profile: profile_needs_agreement true and no profile or properties', async () => {
    const { properties, kakao_account: account } = await kakaoAccount([
      'nickname',
      'profile_image',
    ]);
    expect(properties).toBeUndefined();
    expect(account).toMatchObject({
      profile_needs_agreement: true,
      profile_nickname_needs_agreement: true,
      profile_image_needs_agreement: true,
      email_needs_agreement: false,
    });
    expect(account).not.toHaveProperty('profile');
  });

  it('offers only the items the scope asks for', async () => {
    const url = kakaoAuthorizeUrl(emulator, { scope: 'profile_nickname' });
    await expect(approveConsent(url, { decline: ['email'] })).rejects.toThrow(
      /no item email to decline \(items: nickname\)/,
    );
  });
});

describe('approveConsent', () => {
  it('refuses to decline an item the page does not offer', async () => {
    await expect(
      approveConsent(kakaoAuthorizeUrl(emulator), { decline: ['mobile'] }),
    ).rejects.toThrow(/no item mobile/);
    await expect(approveConsent(authorizeUrl(emulator), { decline: ['email'] })).rejects.toThrow(
      /no item email/,
    );
  });

  it("leaves Google's page without items", async () => {
    const html = await (await fetch(authorizeUrl(emulator))).text();
    expect(html).not.toContain('type="checkbox"');
    const callback = new URL(await approveConsent(authorizeUrl(emulator), { decline: [] }));
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));
  });

  it('submits a Naver page with nothing declined as all items granted', async () => {
    const html = await (await fetch(naverAuthorizeUrl(emulator))).text();
    expect(html.match(/type="checkbox"/g)).toHaveLength(9);
    const profile = await naverProfile([]);
    expect(Object.keys(profile)).toHaveLength(10);
  });
});
