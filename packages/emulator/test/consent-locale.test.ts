// Issue 13, row 6: the consent page follows the browser's language, as the providers do.
import { startEmulator, type Emulator } from '../src';
import { consentLocale } from '../src/consent-text';
import { authorizeUrl } from './helpers';
import { kakaoAuthorizeUrl } from './kakao-helpers';
import { naverAuthorizeUrl } from './naver-helpers';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(() => emulator.stop());

const KO = 'ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7';

async function page(url: string, acceptLanguage?: string) {
  const res = await fetch(url, {
    headers: acceptLanguage ? { 'Accept-Language': acceptLanguage } : {},
  });
  return { html: await res.text(), headers: res.headers };
}

test.each([
  [undefined, 'en'],
  [KO, 'ko'],
  ['en-US,en;q=0.9,ko;q=0.8', 'en'],
  ['en;q=0.4, ko;q=0.5', 'ko'],
  ['ja, fr', 'en'],
])('consentLocale(%p) is %p', (header, locale) => {
  expect(consentLocale(header)).toBe(locale);
});

test('Google in Korean: lang, title, scopes, buttons; the form values stay the same', async () => {
  const { html, headers } = await page(authorizeUrl(emulator), KO);
  expect(headers.get('content-language')).toBe('ko');
  expect(headers.get('vary')).toMatch(/Accept-Language/);
  expect(html).toContain('<html lang="ko">');
  expect(html).toMatch(/<h1><strong>[^<]+<\/strong>에 로그인<\/h1>/);
  expect(html).toContain('에뮬레이터가 재현한 Google 로그인이에요.');
  expect(html).toContain('<legend>계정 선택</legend>');
  expect(html).toContain('기본 Google 계정 이메일 주소 보기');
  expect(html).toContain('name="action" value="approve">동의하고 계속하기</button>');
  expect(html).toMatch(/name="action" value="deny"[^>]*>취소<\/button>/);
  expect(html).not.toMatch(/Approve|Choose an account/);
});

test('Naver and Kakao in Korean: the items as the providers name them', async () => {
  const naver = await page(naverAuthorizeUrl(emulator), KO);
  expect(naver.html).toContain('제공할 정보 (제공하지 않으려면 체크를 해제해 주세요)');
  for (const label of ['닉네임', '이름', '이메일 주소', '프로필 사진', '휴대전화번호']) {
    expect(naver.html).toContain(label);
  }
  const kakao = await page(kakaoAuthorizeUrl(emulator), KO);
  expect(kakao.html).toContain('카카오계정(이메일)');
  expect(kakao.html).toContain('에뮬레이터가 재현한 카카오 로그인이에요.');
});

test('English without Accept-Language, or when English is preferred', async () => {
  for (const header of [undefined, 'en-US,en;q=0.9,ko;q=0.5']) {
    const { html } = await page(authorizeUrl(emulator), header);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('>Approve</button>');
    expect(html).toContain('<legend>Choose an account</legend>');
  }
});
