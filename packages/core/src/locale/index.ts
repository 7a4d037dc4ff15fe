import { en, type MessageKey, type Messages } from './en';
import { ko } from './ko';

export type { MessageKey, Messages } from './en';

/** The languages socialauth's pages speak. */
export type Locale = 'en' | 'ko';

/** `auto` (the default) follows each request's `Accept-Language`; `ko` or `en` fixes it. */
export type LocaleSetting = Locale | 'auto';

/**
 * Replacements for any of socialauth's page texts, per language and key.
 *
 * @example
 * ```ts
 * const messages: MessageOverrides = {
 *   ko: { 'title.default': '로그인에 실패했어요', 'page.backSignedOut': '처음 화면으로' },
 *   en: { 'error.signup_closed': 'We are invite-only for now.' },
 * };
 * ```
 */
export type MessageOverrides = { [L in Locale]?: Partial<Messages> };

/** Every message key, for validating overrides. */
export const MESSAGE_KEYS = Object.keys(en) as MessageKey[];

export const BUILT_IN: Readonly<Record<Locale, Messages>> = { en, ko };

/**
 * The language for an `Accept-Language` header (RFC 9110 §12.5.4): the supported language with
 * the highest q-value, the earlier one on a tie; English when none is supported or there is no
 * header. `ko`, `ko-KR` and `ko-*` are Korean.
 *
 * @example
 * ```ts
 * negotiateLocale('ko-KR,ko;q=0.9,en-US;q=0.8'); // 'ko'
 * negotiateLocale('en;q=0.9, ko;q=0.5'); // 'en'
 * negotiateLocale(undefined); // 'en'
 * ```
 */
export function negotiateLocale(acceptLanguage: string | undefined): Locale {
  let best: { locale: Locale; q: number } | undefined;
  for (const part of (acceptLanguage ?? '').slice(0, 1000).split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => /^q=/i.test(p));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0 || q > 1) continue;
    const primary = tag.trim().toLowerCase().split('-')[0];
    const locale: Locale | undefined =
      primary === 'ko' ? 'ko' : primary === 'en' || primary === '*' ? 'en' : undefined;
    if (locale && (!best || q > best.q)) best = { locale, q };
  }
  return best?.locale ?? 'en';
}

/** A page's texts: `t(key, { provider })` fills the placeholders. */
export interface Texts {
  readonly locale: Locale;
  t(key: MessageKey, vars?: Record<string, string>): string;
}

/** The texts for one request: the configured or negotiated language, with the app's overrides. */
export function textsFor(
  acceptLanguage: string | undefined,
  setting: LocaleSetting,
  overrides: MessageOverrides,
): Texts {
  const locale = setting === 'auto' ? negotiateLocale(acceptLanguage) : setting;
  const own = overrides[locale];
  return {
    locale,
    t: (key, vars = {}) =>
      (own?.[key] ?? BUILT_IN[locale][key]).replace(/\{(\w+)\}/g, (whole, name: string) =>
        Object.hasOwn(vars, name) ? vars[name]! : whole,
      ),
  };
}
