import type { ConsentItem } from './consent';

/** The languages of the consent page. */
export type ConsentLocale = 'en' | 'ko';

/**
 * The consent page's language from `Accept-Language` (RFC 9110 §12.5.4): Korean when `ko` has
 * the highest q-value of the two, English otherwise, as providers follow the browser.
 */
export function consentLocale(acceptLanguage: string | undefined): ConsentLocale {
  let best: { locale: ConsentLocale; q: number } | undefined;
  for (const part of (acceptLanguage ?? '').slice(0, 1000).split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => /^q=/i.test(p));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0 || q > 1) continue;
    const primary = tag.trim().toLowerCase().split('-')[0];
    const locale = primary === 'ko' ? 'ko' : primary === 'en' || primary === '*' ? 'en' : undefined;
    if (locale && (!best || q > best.q)) best = { locale, q };
  }
  return best?.locale ?? 'en';
}

/** Korean UIs name these two in Korean; Google stays Google. */
const KO_NAMES: Record<string, string> = { Naver: '네이버', Kakao: '카카오' };

interface ConsentTexts {
  title(app: string): string;
  /** HTML: `app` is already escaped and emphasised. */
  intro(provider: string, app: string, listed: boolean): string;
  chooseAccount: string;
  noAccounts: string;
  items: string;
  approve: string;
  deny: string;
  /** Item labels by item, where the provider's own words differ from the English default. */
  itemLabels: Partial<Record<ConsentItem, string>>;
  /** Kakao's own name for its email item, where it differs. */
  kakaoEmail?: string;
  /** Scope descriptions by scope, where they differ from the provider's English ones. */
  scopes: Record<string, string>;
}

export const CONSENT_TEXTS: Record<ConsentLocale, ConsentTexts> = {
  en: {
    title: (app) => `Sign in to ${app}`,
    intro: (provider, app, listed) =>
      `Emulated ${provider} sign-in. ${app}${listed ? ' asks for:' : ' asks for the information below.'}`,
    chooseAccount: 'Choose an account',
    noAccounts: 'No test accounts are configured.',
    items: 'Information to share (uncheck an item to decline it)',
    approve: 'Approve',
    deny: 'Deny',
    itemLabels: {},
    scopes: {},
  },
  ko: {
    title: (app) => `${app}에 로그인`,
    intro: (provider, app, listed) =>
      `에뮬레이터가 재현한 ${KO_NAMES[provider] ?? provider} 로그인이에요. ${app}에서 ${listed ? '다음 권한을 요청해요.' : '아래 정보를 요청해요.'}`,
    chooseAccount: '계정 선택',
    noAccounts: '설정된 테스트 계정이 없어요.',
    items: '제공할 정보 (제공하지 않으려면 체크를 해제해 주세요)',
    approve: '동의하고 계속하기',
    deny: '취소',
    itemLabels: {
      nickname: '닉네임',
      name: '이름',
      email: '이메일 주소',
      gender: '성별',
      age: '연령대',
      birthday: '생일',
      birthyear: '출생 연도',
      profile_image: '프로필 사진',
      mobile: '휴대전화번호',
    },
    kakaoEmail: '카카오계정(이메일)',
    scopes: {
      openid: 'ID 토큰으로 내 계정 확인',
      'https://www.googleapis.com/auth/userinfo.email': '기본 Google 계정 이메일 주소 보기',
      'https://www.googleapis.com/auth/userinfo.profile':
        '공개로 설정한 정보를 포함한 개인 정보 보기',
    },
  },
};
