// In-app browsers (issue 21, part 1): the table that recognises them from real User-Agent
// strings, and Google's sign-in started inside one, which gets a page that opens it in the
// phone's own browser (Google answers 403 disallowed_useragent there) while Kakao and Naver,
// which work inside them, sign in as usual.
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import { naver } from '@socialauth/naver';
import { consent, startHarness, type Harness } from '@socialauth/testkit';
import { inAppBrowser } from '../src';
import { externalOpenURL } from '../src/flow/in-app';

// As the apps send them (KakaoTalk's from developers.kakao.com kakaologin/utilize).
const UA = {
  kakaoAndroid:
    'Mozilla/5.0 (Linux; Android 14; SM-S908N Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.134 Mobile Safari/537.36 KAKAOTALK/10.8.5 (INAPP)',
  kakaoIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 KAKAOTALK 10.8.5',
  naverIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 NAVER(inapp; search; 2000; 12.6.3; 15PRO)',
  instagramIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 339.0.3.12.91 (iPhone15,3; iOS 17_5; ko_KR; ko; scale=3.00; 1290x2796; 619461904)',
  instagramAndroid:
    'Mozilla/5.0 (Linux; Android 14; SM-S918N Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.134 Mobile Safari/537.36 Instagram 339.0.0.35.109 Android (34/14; 480dpi; 1080x2340; samsung; SM-S918N; dm3q; qcom; ko_KR; 619461904)',
  facebookIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.40.100;FBBV/612345678;FBDV/iPhone15,3;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBID/phone;FBLC/ko_KR;FBOP/5]',
  lineIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/14.9.0',
  daumAndroid:
    'Mozilla/5.0 (Linux; Android 13; SM-G991N Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/125.0.6422.165 Mobile Safari/537.36 DaumApps/8.4.1 DaumDevice/mobile',
  bandAndroid:
    'Mozilla/5.0 (Linux; Android 14; SM-S908N Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.134 Mobile Safari/537.36 BAND/16.1.0 (ko_KR)',
  webview:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240705.005; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.134 Mobile Safari/537.36',
  chromeAndroid:
    'Mozilla/5.0 (Linux; Android 14; SM-S908N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.134 Mobile Safari/537.36',
  safariIos:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  samsung:
    'Mozilla/5.0 (Linux; Android 14; SM-S908N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
  whale:
    'Mozilla/5.0 (Linux; Android 14; SM-S908N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Whale/3.26.244.14 Mobile Safari/537.36',
  naverApp:
    'Mozilla/5.0 (Linux; Android 14; SM-S908N Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.134 Mobile Safari/537.36 NAVER(inapp; search; 2000; 12.7.1)',
};

test.each([
  ['kakaoAndroid', 'kakaotalk', 'android'],
  ['kakaoIos', 'kakaotalk', 'ios'],
  ['naverIos', 'naver', 'ios'],
  ['naverApp', 'naver', 'android'],
  ['instagramIos', 'instagram', 'ios'],
  ['instagramAndroid', 'instagram', 'android'],
  ['facebookIos', 'facebook', 'ios'],
  ['lineIos', 'line', 'ios'],
  ['daumAndroid', 'daum', 'android'],
  ['bandAndroid', 'band', 'android'],
  ['webview', 'android-webview', 'android'],
] as const)('%s is the in-app browser of %s (%s)', (ua, id, os) => {
  expect(inAppBrowser(UA[ua])).toMatchObject({ id, os });
});

test.each(['chromeAndroid', 'safariIos', 'samsung', 'whale'] as const)(
  '%s is a browser of its own',
  (ua) => {
    expect(inAppBrowser(UA[ua])).toBeUndefined();
  },
);

test('no User-Agent, or a huge one, is no in-app browser and no crash', () => {
  expect(inAppBrowser(undefined)).toBeUndefined();
  expect(inAppBrowser('')).toBeUndefined();
  expect(inAppBrowser(`${'x'.repeat(100_000)} KAKAOTALK`)).toBeUndefined();
});

test('the way out: KakaoTalk scheme, LINE parameter, Android intent, none on iOS', () => {
  const url = 'https://app.example.com/auth/google?next=%2Fcart';
  expect(externalOpenURL(inAppBrowser(UA.kakaoIos)!, url)).toBe(
    `kakaotalk://web/openExternal?url=${encodeURIComponent(url)}`,
  );
  expect(externalOpenURL(inAppBrowser(UA.lineIos)!, url)).toBe(`${url}&openExternalBrowser=1`);
  expect(externalOpenURL(inAppBrowser(UA.instagramAndroid)!, url)).toBe(
    'intent://app.example.com/auth/google?next=%2Fcart#Intent;scheme=https;' +
      'action=android.intent.action.VIEW;category=android.intent.category.BROWSABLE;' +
      `package=com.android.chrome;S.browser_fallback_url=${encodeURIComponent(url)};end`,
  );
  expect(externalOpenURL(inAppBrowser(UA.instagramIos)!, url)).toBeUndefined();
});

describe('a Google sign-in started inside an in-app browser', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness((emulator) => ({
      providers: [
        google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin }),
        kakao({ ...DEFAULT_CLIENTS.kakao, origin: emulator.origin }),
      ],
    }));
  });
  afterAll(() => h.close());

  const startIn = (ua: string, path = '/auth/google?next=%2Fcart', lang = 'ko') =>
    h.newAgent().get(path).set('User-Agent', ua).set('Accept-Language', lang);

  test('KakaoTalk: a page in Korean with the button that opens the same start outside', async () => {
    const res = await startIn(UA.kakaoIos);
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined(); // nothing stored, no session made
    expect(res.headers['content-security-policy']).toMatch(/script-src 'nonce-/);
    expect(res.text).toContain('브라우저에서 열어 주세요');
    expect(res.text).toContain('카카오톡 안에서는 Google 로그인을 할 수 없어요');
    const start = `${h.baseURL}/auth/google?next=%2Fcart`;
    expect(res.text).toContain(
      `href="kakaotalk://web/openExternal?url=${encodeURIComponent(start)}"`,
    );
    expect(res.text).toContain(`value="${start}"`); // the copy-link field
    expect(res.text).toContain('href="/auth/kakao?next=%2Fcart"'); // Kakao signs in right here
    expect(h.emulator.count('google', 'authorize')).toBe(0);
  });

  test('Instagram on iOS: says how, in English, with the copy button', async () => {
    const res = await startIn(UA.instagramIos, '/auth/google', 'en');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Google does not allow signing in inside Instagram');
    expect(res.text).toContain('id="how"');
    expect(res.text).not.toContain('id="open"');
    expect(res.text).toContain('Copy link');
  });

  test('LINE and Android apps: their own ways out', async () => {
    const line = await startIn(UA.lineIos);
    expect(line.text).toContain('openExternalBrowser=1');
    const android = await startIn(UA.instagramAndroid);
    expect(android.text).toContain('href="intent://127.0.0.1');
  });

  test("the phone's browser, and Kakao inside KakaoTalk, go to the provider as ever", async () => {
    const chrome = await startIn(UA.chromeAndroid);
    expect(chrome.status).toBe(302);
    expect(new URL(chrome.headers.location as string).origin).toBe(h.emulator.origin);
    const kakaoInKakao = await startIn(UA.kakaoAndroid, '/auth/kakao');
    expect(kakaoInKakao.status).toBe(302);
    // The LINE way out comes back with its parameter: an ordinary start.
    const back = await startIn(UA.safariIos, '/auth/google?next=%2Fcart&openExternalBrowser=1');
    expect(back.status).toBe(302);
  });

  test('a JSON start is left alone: the app decides', async () => {
    const json = await startIn(UA.kakaoIos).set('Accept', 'application/json');
    expect(json.status).toBe(200);
    expect(json.body.redirectUrl).toMatch(/^http/);
  });
});

describe("Kakao's auto-login inside KakaoTalk (silentInKakaoTalk)", () => {
  let h: Harness;
  const MEMBER = '9007199254740993';
  beforeAll(async () => {
    h = await startHarness((emulator) => ({
      providers: [
        kakao({ ...DEFAULT_CLIENTS.kakao, origin: emulator.origin, silentInKakaoTalk: true }),
      ],
    }));
  });
  afterAll(() => h.close());

  test('no member yet: prompt=none, consent_required, then the usual consent, next kept', async () => {
    const agent = h.newAgent();
    const started = await agent
      .get('/auth/kakao?next=%2Fcart')
      .set('User-Agent', UA.kakaoAndroid)
      .expect(302);
    const silent = new URL(started.headers.location as string);
    expect(silent.searchParams.get('prompt')).toBe('none');
    // The emulator answers at once, without a screen: nobody agreed yet.
    const answer = await fetch(silent, {
      redirect: 'manual',
      headers: { 'User-Agent': UA.kakaoAndroid },
    });
    const back = new URL(answer.headers.get('location')!);
    expect(back.searchParams.get('error')).toBe('consent_required');
    const fallback = await agent.get(back.pathname + back.search).expect(302);
    expect(fallback.headers.location).toBe('/auth/kakao?interactive=1&next=%2Fcart');
    const usual = await agent
      .get(fallback.headers.location as string)
      .set('User-Agent', UA.kakaoAndroid)
      .expect(302);
    const authorize = new URL(usual.headers.location as string);
    expect(authorize.searchParams.get('prompt')).toBeNull();
    const signedIn = await agent.get(await consent(authorize, { user: MEMBER }));
    expect(signedIn.headers.location).toBe('/cart');
  });

  test('a member inside KakaoTalk is signed in without a screen; outside, as ever', async () => {
    h.emulator.inAppAccount('kakao', MEMBER);
    try {
      const agent = h.newAgent();
      const started = await agent
        .get('/auth/kakao?next=%2Fcart')
        .set('User-Agent', UA.kakaoIos)
        .expect(302);
      const answer = await fetch(started.headers.location as string, {
        redirect: 'manual',
        headers: { 'User-Agent': UA.kakaoIos },
      });
      const back = new URL(answer.headers.get('location')!);
      expect(back.searchParams.get('code')).toBeTruthy();
      const res = await agent.get(back.pathname + back.search).expect(302);
      expect(res.headers.location).toBe('/cart');
      const session = (await agent.get('/auth/session').expect(200)).body as {
        user: { identities: { subject: string }[] };
      };
      expect(session.user.identities[0]?.subject).toBe(MEMBER);

      const chrome = await h
        .newAgent()
        .get('/auth/kakao')
        .set('User-Agent', UA.chromeAndroid)
        .expect(302);
      expect(new URL(chrome.headers.location as string).searchParams.get('prompt')).toBeNull();
    } finally {
      h.emulator.inAppAccount('kakao', undefined);
    }
  });
});

describe("Naver's 서비스 자동로그인 inside the NAVER app (autoLoginInNaverApp)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness((emulator) => ({
      providers: [
        naver({ ...DEFAULT_CLIENTS.naver, origin: emulator.origin, autoLoginInNaverApp: true }),
      ],
    }));
  });
  afterAll(() => h.close());

  /** A start inside the NAVER app, Naver's answer without a screen, and the app's answer. */
  async function tryInApp(agent = h.newAgent()) {
    const started = await agent
      .get('/auth/naver?next=%2Fcart')
      .set('User-Agent', UA.naverApp)
      .expect(302);
    const silent = new URL(started.headers.location as string);
    expect(silent.searchParams.get('auth_type')).toBe('autologin');
    const answer = await fetch(silent, {
      redirect: 'manual',
      headers: { 'User-Agent': UA.naverApp },
    });
    const back = new URL(answer.headers.get('location')!);
    return { agent, back, res: await agent.get(back.pathname + back.search).expect(302) };
  }

  test('not signed in to the app, then not linked: access_denied, the usual sign-in at once', async () => {
    const first = await tryInApp();
    expect(first.back.searchParams.get('error_description')).toBe('user not logged in.');
    expect(first.res.headers.location).toBe('/auth/naver?interactive=1&next=%2Fcart');
    h.emulator.inAppAccount('naver', 'minji');
    try {
      const second = await tryInApp();
      expect(second.back.searchParams.get('error_description')).toBe('need user consent.');
      const usual = await second.agent
        .get(second.res.headers.location as string)
        .set('User-Agent', UA.naverApp)
        .expect(302);
      const authorize = new URL(usual.headers.location as string);
      expect(authorize.searchParams.get('auth_type')).toBeNull();
      const done = await second.agent.get(await consent(authorize, { user: 'minji' }));
      expect(done.headers.location).toBe('/cart');

      // Linked now: the next visit from the NAVER app signs in without a screen.
      const third = await tryInApp();
      expect(third.back.searchParams.get('code')).toBeTruthy();
      expect(third.res.headers.location).toBe('/cart');
    } finally {
      h.emulator.inAppAccount('naver', undefined);
    }
  });
});
