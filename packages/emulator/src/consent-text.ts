import type { ConsentItem } from './types';

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

interface ConsentTexts {
  title(app: string): string;
  /** HTML: `app` is already escaped and emphasised. */
  intro(providerLabel: string, app: string, listed: boolean): string;
  chooseAccount: string;
  noAccounts: string;
  items: string;
  approve: string;
  deny: string;
  /** Item labels by item, where the provider's own words differ from the English default. */
  itemLabels: Partial<Record<ConsentItem, string>>;
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
      `에뮬레이터가 재현한 ${provider} 로그인이에요. ${app}에서 ${listed ? '다음 권한을 요청해요.' : '아래 정보를 요청해요.'}`,
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
      shipping_address: '배송지 정보',
    },
    scopes: {},
  },
};

/** What the shared consent page says for a provider, beyond the common texts. */
export interface ProviderConsentTexts {
  /** The provider's name in each language ('Kakao', '카카오'). */
  readonly label: Readonly<Record<ConsentLocale, string>>;
  /** Item labels where the provider's own words differ from the common ones. */
  readonly itemLabels?: Partial<Record<ConsentLocale, Partial<Record<ConsentItem, string>>>>;
  /** Scope descriptions where they differ from the provider's English ones. */
  readonly scopes?: Partial<Record<ConsentLocale, Readonly<Record<string, string>>>>;
}
