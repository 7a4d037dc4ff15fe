import type { Request } from 'express';
import { negotiateLocale, type Locale } from '@socialauth/core';

/** The example's own words, in English and Korean (해요체, as Korean apps speak). */
const TEXT = {
  en: {
    appTitle: 'socialauth example',
    intro: 'Sign in to see your profile.',
    signInWith: (p: string) => `Sign in with ${p}`,
    profile: 'Your profile',
    navProfile: 'Profile',
    navConnections: 'Connections',
    navApis: 'Provider APIs',
    navSessions: 'Devices',
    navPhone: 'Phone number',
    navSecurity: 'Security',
    phoneTitle: 'Phone number',
    phoneNeedsKakao: 'Connect a Kakao account to share your phone number from Kakao.',
    phoneNotShared: 'You have not shared your phone number yet. Kakao asks you first.',
    phoneAsk: 'Share my phone number from Kakao',
    phoneShared: 'Kakao shares your phone number:',
    securityTitle: 'Security settings',
    securityConfirmed: "You confirmed it's you.",
    securityWhen: (when: string, seconds: number) =>
      `Signed in at ${when}. This page opens only within ${seconds} seconds of a sign-in.`,
    exportData: 'Download my data',
    deleteAccount: 'Delete my account',
    sessions: 'Where you are signed in',
    thisDevice: 'this device',
    unknownDevice: 'Unknown device',
    lastSeen: 'last active',
    endSession: 'Sign out',
    name: 'Name',
    email: 'Email',
    notShared: '(not shared)',
    signedInWith: 'Signed in with',
    disconnectedSince: 'disconnected since',
    connected: 'Connected accounts',
    logOut: 'Log out',
    logOutEverywhere: 'Log out on every device',
    connections: 'Connections',
    isConnected: 'connected:',
    notConnected: 'not connected',
    connect: (p: string) => `Connect ${p}`,
    disconnect: (p: string) => `Disconnect ${p}`,
    apis: 'Provider APIs',
    apisIntro: "Each connected provider's profile API, called with the stored token:",
    noApi: 'no profile API',
    failed: 'failed',
    wrongAddress: 'Open this app at its own address',
    wrongAddressBody: (here: string, base: string) =>
      `You opened ${here}, but this app is set up for ${base} (its baseURL). The sign-in cookie belongs to one address, so a sign-in from here would fail. Continue at:`,
    spa: 'SPA example',
    spaIntro: 'This page uses only the JSON API.',
    notSignedIn: 'Not signed in',
    signedInAs: (who: string, p: string) => `Signed in as ${who} with ${p}`,
  },
  ko: {
    appTitle: 'socialauth 예제',
    intro: '로그인하면 내 프로필을 볼 수 있어요.',
    signInWith: (p: string) => `${p} 계정으로 로그인`,
    profile: '내 프로필',
    navProfile: '프로필',
    navConnections: '계정 연결',
    navApis: 'API 호출 확인',
    navSessions: '로그인 기기',
    navPhone: '전화번호',
    navSecurity: '보안 설정',
    phoneTitle: '전화번호',
    phoneNeedsKakao: '카카오 계정을 연결하면 카카오에서 전화번호를 받아 올 수 있어요.',
    phoneNotShared: '아직 전화번호를 제공하지 않았어요. 카카오에서 먼저 동의를 받아요.',
    phoneAsk: '카카오에서 전화번호 제공하기',
    phoneShared: '카카오에서 받은 전화번호예요.',
    securityTitle: '보안 설정',
    securityConfirmed: '본인 확인을 마쳤어요.',
    securityWhen: (when: string, seconds: number) =>
      `${when}에 로그인했어요. 이 페이지는 로그인하고 ${seconds}초 안에만 열려요.`,
    exportData: '내 데이터 내려받기',
    deleteAccount: '회원 탈퇴',
    sessions: '로그인한 기기',
    thisDevice: '지금 이 기기',
    unknownDevice: '알 수 없는 기기',
    lastSeen: '마지막 사용',
    endSession: '로그아웃',
    name: '이름',
    email: '이메일',
    notShared: '(제공되지 않음)',
    signedInWith: '로그인 방법',
    disconnectedSince: '로그인 후 연결 해제됨',
    connected: '연결된 계정',
    logOut: '로그아웃',
    logOutEverywhere: '모든 기기에서 로그아웃',
    connections: '계정 연결',
    isConnected: '연결됨:',
    notConnected: '연결 안 됨',
    connect: (p: string) => `${p} 연결`,
    disconnect: (p: string) => `${p} 연결 해제`,
    apis: 'API 호출 확인',
    apisIntro: '연결된 서비스마다 저장된 토큰으로 프로필 API를 호출한 결과예요.',
    noApi: '프로필 API 없음',
    failed: '실패',
    wrongAddress: '이 앱의 주소로 열어 주세요',
    wrongAddressBody: (here: string, base: string) =>
      `지금 연 주소는 ${here}인데, 이 앱은 ${base} 주소로 설정되어 있어요(baseURL). 로그인 쿠키는 주소마다 따로 저장돼서 여기서 로그인하면 실패해요. 아래 주소에서 계속해 주세요.`,
    spa: 'SPA 예제',
    spaIntro: '이 페이지는 JSON API만 사용해요.',
    notSignedIn: '로그인하지 않았어요',
    signedInAs: (who: string, p: string) => `${who}님, ${p} 계정으로 로그인했어요`,
  },
} as const;

export type Texts = (typeof TEXT)[Locale];

/** Korean brand names where Korean UIs use them (네이버, 카카오); Google stays Google. */
const KO_NAMES: Record<string, string> = { naver: '네이버', kakao: '카카오' };

interface Named {
  id: string;
  name: string;
}

/** The request's language (Accept-Language) and its texts. */
export function textsOf(req: Request) {
  const lang: Locale = negotiateLocale(req.headers['accept-language']);
  const t: Texts = TEXT[lang];
  const providerName = (p: Named) => (lang === 'ko' ? (KO_NAMES[p.id] ?? p.name) : p.name);
  return {
    lang,
    t,
    providerName,
    /**
     * Naver's and Kakao's own button words in Korean (네이버 로그인, 카카오 로그인), and Apple's
     * (Human Interface Guidelines, "Sign in with Apple": "Apple로 로그인").
     */
    signInLabel: (p: Named) =>
      lang === 'ko' && KO_NAMES[p.id]
        ? `${KO_NAMES[p.id]} 로그인`
        : lang === 'ko' && p.id === 'apple'
          ? 'Apple로 로그인'
          : t.signInWith(providerName(p)),
  };
}
