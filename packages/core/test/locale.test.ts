// Issue 13, row 6: socialauth's pages speak Korean and English, chosen by Accept-Language (with
// q-values), fixed by `locale`, and any text replaceable with `messages`.
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { ERROR_CODES, SocialAuthError, memoryAccounts, negotiateLocale, socialAuth } from '../src';
import { BUILT_IN, MESSAGE_KEYS } from '../src/locale';
import {
  signInAs,
  signInFromLinkPage,
  startAccountsHarness,
  SECRET,
  signIn,
  startHarness,
  type Harness,
} from '@socialauth/testkit';

const KO = 'ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7';
const HANGUL = /[\uac00-\ud7a3]/;

test.each([
  [undefined, 'en'],
  ['', 'en'],
  [KO, 'ko'],
  ['ko', 'ko'],
  ['en-US,en;q=0.9,ko;q=0.8', 'en'],
  ['en;q=0.5, ko;q=0.6', 'ko'],
  ['ko;q=0, en', 'en'],
  ['fr-FR, ja;q=0.9', 'en'],
  ['fr, ko;q=0.3', 'ko'],
  ['*;q=0.9, ko;q=0.8', 'en'],
  ['ko , en', 'ko'],
  ['ko;q=nonsense, en;q=0.1', 'en'],
])('negotiateLocale(%p) is %p', (header, locale) => {
  expect(negotiateLocale(header)).toBe(locale);
});

test('Korean has every key, in Korean', () => {
  expect(Object.keys(BUILT_IN.ko).sort()).toEqual([...MESSAGE_KEYS].sort());
  for (const key of MESSAGE_KEYS) {
    if (key === 'link.id') continue; // "ID" is what Korean UIs say too
    expect([key, HANGUL.test(BUILT_IN.ko[key])]).toEqual([key, true]);
  }
  // English error texts are the public messages JSON bodies carry.
  for (const [code, { message }] of Object.entries(ERROR_CODES)) {
    expect(BUILT_IN.en[`error.${code}` as keyof typeof BUILT_IN.en]).toBe(message);
  }
});

describe('the error page', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(() => ({
      redirects: { afterLogin: '/home', afterLogout: '/welcome' },
      messages: { en: { 'title.login_expired': 'Your sign-in timed out' } },
    }));
  });
  afterAll(() => h.close());

  test('Korean for Accept-Language ko: lang, title, message, reason, a way back for a signed-out visitor', async () => {
    const res = await h
      .newAgent()
      .get('/auth/error?error=login_expired&reason=flow_expired')
      .set('Accept-Language', KO)
      .expect(200);
    expect(res.headers['content-language']).toBe('ko');
    expect(res.headers.vary).toMatch(/Accept-Language/);
    expect(res.text).toContain('<html lang="ko">');
    expect(res.text).toContain('<h1>로그인 시간이 지났어요</h1>');
    expect(res.text).toContain(BUILT_IN.ko['error.login_expired']);
    expect(res.text).toContain(BUILT_IN.ko['reason.flow_expired']);
    expect(res.text).toContain('<a id="back" href="/welcome">홈으로 돌아가기</a>');
  });

  test('English otherwise, with the app override; a disconnect is not a "Sign-in problem"', async () => {
    const expired = await h.newAgent().get('/auth/error?error=login_expired').expect(200);
    expect(expired.text).toContain('<html lang="en">');
    expect(expired.text).toContain('<h1>Your sign-in timed out</h1>');
    await signIn(h);
    const last = await h.agent
      .get('/auth/error?error=last_identity')
      .set('Accept-Language', 'en-GB')
      .expect(200);
    expect(last.text).toContain('<h1>Cannot disconnect</h1>');
    expect(last.text).not.toContain('Sign-in problem');
    // Signed in, the way back is into the app.
    expect(last.text).toContain('<a id="back" href="/home">Back to the app</a>');
    const ko = await h.agent.get('/auth/error?error=last_identity').set('Accept-Language', 'ko');
    expect(ko.text).toContain('<h1>연결을 해제할 수 없어요</h1>');
    expect(ko.text).toContain('<a id="back" href="/home">앱으로 돌아가기</a>');
  });

  test('a cookie that never arrived is not titled an expiry', async () => {
    for (const reason of ['cookie_missing', 'not_https']) {
      const res = await h
        .newAgent()
        .get(`/auth/error?error=login_expired&reason=${reason}`)
        .set('Accept-Language', KO);
      expect(res.text).toContain('<h1>로그인하지 못했어요</h1>');
      const text = res.text.replace(/&#39;/g, "'");
      expect(text).toContain(BUILT_IN.ko[`reason.${reason}` as 'reason.not_https']);
    }
  });

  test('an unknown code or reason shows the generic text, never the input', async () => {
    const res = await h
      .newAgent()
      .get('/auth/error?error=%3Cscript%3E&reason=%3Cb%3E')
      .set('Accept-Language', 'ko');
    expect(res.text).toContain('<h1>로그인하지 못했어요</h1>');
    expect(res.text).toContain(BUILT_IN.ko['error.unknown']);
    expect(res.text).not.toContain('<script>');
    expect(res.text).not.toContain('<b>');
  });
});

test('locale fixes the language whatever the browser asks; messages replace any text', async () => {
  const h = await startHarness(() => ({
    locale: 'ko',
    messages: { ko: { 'title.access_denied': '{provider}로그인 취소됨' } },
  }));
  try {
    const res = await h.agent.get('/auth/error?error=access_denied').set('Accept-Language', 'en');
    expect(res.text).toContain('<html lang="ko">');
    // An unknown placeholder stays as written; every text is escaped plain text.
    expect(res.text).toContain('<h1>{provider}로그인 취소됨</h1>');
  } finally {
    await h.close();
  }
});

test('an unknown message key or locale is refused at start-up, naming the field', () => {
  const config = {
    baseURL: 'http://localhost:3000',
    secret: SECRET,
    providers: [google({ ...DEFAULT_CLIENTS.google })],
    logger: false as const,
  };
  const refused = (extra: object) => {
    try {
      socialAuth({ ...config, ...extra });
    } catch (err) {
      expect(err).toBeInstanceOf(SocialAuthError);
      return (err as Error).message;
    }
    throw new Error('accepted');
  };
  expect(refused({ messages: { ko: { 'title.nope': 'x' } } })).toMatch(
    /messages\.ko: .*title\.nope/,
  );
  expect(refused({ messages: { fr: {} } })).toMatch(/messages: .*fr/);
  expect(refused({ locale: 'ja' })).toMatch(/locale: must be 'auto', 'en' or 'ko'/);
});

test('the pending-link page, signed out and signed in, in Korean', async () => {
  const h = await startAccountsHarness(memoryAccounts());
  try {
    await signInAs(h, 'google', '200000000000000000001', h.newAgent());
    const browser = h.newAgent();
    browser.set('Accept-Language', KO);
    expect(await signInAs(h, 'naver', 'minji', browser)).toBe('/auth/link');
    const page = await browser.get('/auth/link').expect(200);
    expect(page.text).toContain('<html lang="ko">');
    expect(page.text).toContain('<h1>Naver 계정 연결</h1>');
    expect(page.text).toContain('이 이메일 주소로 가입된 계정이 이미 있어요.');
    expect(page.text).toContain('Google 계정으로 로그인</a>');
    expect(await signInFromLinkPage('google', '200000000000000000001', browser)).toBe('/auth/link');
    const confirm = await browser.get('/auth/link').expect(200);
    expect(confirm.text).toContain('이 Naver 계정을 내 계정에 연결할까요?');
    expect(confirm.text).toContain(`<dt>이메일</dt><dd>s•••@example.com</dd>`);
    expect(confirm.text).toContain('>연결하기</button>');
    expect(confirm.text).toContain('>취소</button>');
  } finally {
    await h.close();
  }
});
