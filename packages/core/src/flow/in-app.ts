/**
 * The in-app browsers Korean users meet, recognised from the `User-Agent`, and how each one lets
 * a page open a link in the phone's own browser. Google refuses OAuth inside any of them (403
 * `disallowed_useragent`, its secure browser policy of 2021; LINE's FAQ says the same of LINE's
 * browser), so a Google sign-in started in one is sent out first.
 *
 * Sources, checked 2026-12-07: KakaoTalk's `KAKAOTALK` token is Kakao's own (developers.kakao.com
 * kakaologin/utilize, "카카오톡 인앱브라우저"), the NAVER app's `NAVER(inapp; search;` Naver's
 * (naver-openapi-guide devguide §5.1.3). The other tokens, KakaoTalk's
 * `kakaotalk://web/openExternal` scheme and LINE's `openExternalBrowser=1` are what those apps
 * send and accept in practice, widely used but not found in their vendors' documentation: leads,
 * kept in this one table so a change is one line.
 */
export interface InAppBrowser {
  /** A stable id, e.g. `kakaotalk`. */
  id: string;
  /** The app's name as its users know it, in Korean and English. */
  name: { ko: string; en: string };
  /** The phone's system, as far as the `User-Agent` tells. */
  os: 'ios' | 'android' | 'other';
}

interface Entry {
  id: string;
  name: { ko: string; en: string };
  /** Matched against the whole `User-Agent`. */
  match: RegExp;
  /** Its own way out, where it has one (beyond Android's intents). */
  escape?: 'kakaotalk' | 'line';
}

/** Most specific first: an app's token before the generic Android WebView marker. */
export const IN_APP_BROWSERS: readonly Entry[] = [
  {
    id: 'kakaotalk',
    name: { ko: '카카오톡', en: 'KakaoTalk' },
    match: /KAKAOTALK/i,
    escape: 'kakaotalk',
  },
  { id: 'kakaostory', name: { ko: '카카오스토리', en: 'KakaoStory' }, match: /KAKAOSTORY/i },
  { id: 'naver', name: { ko: '네이버 앱', en: 'the NAVER app' }, match: /NAVER\(inapp;/ },
  { id: 'daum', name: { ko: '다음 앱', en: 'the Daum app' }, match: /DaumApps/ },
  { id: 'line', name: { ko: '라인', en: 'LINE' }, match: /\bLine\/\d/, escape: 'line' },
  { id: 'instagram', name: { ko: '인스타그램', en: 'Instagram' }, match: /\bInstagram\b/ },
  {
    id: 'facebook',
    name: { ko: '페이스북', en: 'Facebook' },
    match: /\bFB(AN|AV|IOS|_IAB)\b|\[FB/,
  },
  { id: 'threads', name: { ko: '스레드', en: 'Threads' }, match: /\bBarcelona\b/ },
  { id: 'band', name: { ko: '밴드', en: 'BAND' }, match: /\bBAND\/\d/ },
  { id: 'everytime', name: { ko: '에브리타임', en: 'Everytime' }, match: /everytimeApp/i },
  { id: 'tiktok', name: { ko: '틱톡', en: 'TikTok' }, match: /musical_ly|BytedanceWebview/ },
  { id: 'wechat', name: { ko: '위챗', en: 'WeChat' }, match: /MicroMessenger/ },
  // Android's System WebView marks itself `; wv)` (developer.android.com, "User-Agent"):
  // another app's browser, whichever.
  { id: 'android-webview', name: { ko: '앱', en: 'an app' }, match: /; wv\)/ },
];

const IOS = /\b(iPhone|iPad|iPod)\b/;
const ANDROID = /\bAndroid\b/;

/**
 * The in-app browser a request comes from, or `undefined` for a browser of its own (Chrome,
 * Safari, Samsung Internet, Whale, ...). At most the first 512 characters are read.
 *
 * @example
 * ```ts
 * inAppBrowser('Mozilla/5.0 (iPhone; ...) KAKAOTALK 10.8.5'); // { id: 'kakaotalk', os: 'ios', ... }
 * ```
 */
export function inAppBrowser(userAgent: string | undefined): InAppBrowser | undefined {
  if (!userAgent) return undefined;
  const ua = userAgent.slice(0, 512);
  const entry = IN_APP_BROWSERS.find((e) => e.match.test(ua));
  if (!entry) return undefined;
  const os = IOS.test(ua) ? 'ios' : ANDROID.test(ua) ? 'android' : 'other';
  return { id: entry.id, name: entry.name, os };
}

/**
 * The link that opens `url` (an absolute https or http URL) in the phone's own browser from
 * inside `browser`, where the platform has one: KakaoTalk's scheme, LINE's parameter, and on
 * Android an intent for the browser app. `undefined` where the user must do it (Instagram and
 * the others on iOS): the page then says how, with a copy-link button.
 *
 * @example
 * ```ts
 * externalOpenURL(browser, 'https://app.example.com/auth/google?next=%2F');
 * // 'kakaotalk://web/openExternal?url=https%3A%2F%2Fapp.example.com%2F...'
 * ```
 */
export function externalOpenURL(browser: InAppBrowser, url: string): string | undefined {
  const escape = IN_APP_BROWSERS.find((e) => e.id === browser.id)?.escape;
  if (escape === 'kakaotalk') return `kakaotalk://web/openExternal?url=${encodeURIComponent(url)}`;
  if (escape === 'line') {
    const target = new URL(url);
    target.searchParams.set('openExternalBrowser', '1');
    return target.href;
  }
  if (browser.os === 'android') {
    // Android's intent URI (developer.chrome.com, "Android Intents with Chrome"): the same page,
    // in the browser app, whose package names Chrome; without Chrome the fallback is the page.
    const target = new URL(url);
    const scheme = target.protocol.slice(0, -1);
    return (
      `intent://${target.host}${target.pathname}${target.search}#Intent;scheme=${scheme};` +
      `action=android.intent.action.VIEW;category=android.intent.category.BROWSABLE;` +
      `package=com.android.chrome;S.browser_fallback_url=${encodeURIComponent(url)};end`
    );
  }
  return undefined;
}
