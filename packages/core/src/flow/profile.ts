import { SocialAuthError } from '../errors';
import type { SocialProfile } from '../contract';

/** The most characters (code points) a profile's `name` or `nickname` keeps. */
export const MAX_NAME = 256;
/** The longest email kept: 64 for the local part, `@`, 255 for the domain (RFC 3696 §3). */
export const MAX_EMAIL = 320;
/** The longest picture URL kept (what browsers and CDNs reliably carry). */
export const MAX_AVATAR_URL = 2048;
/** The longest subject id accepted: the store's key, so no cut, a refusal. */
export const MAX_SUBJECT = 255;

// Text that changes what a reader sees without being seen: C0 and C1 controls (NUL among them,
// which PostgreSQL's text refuses), DEL, the line and paragraph separators, and the bidi
// embedding, override and isolate controls that reorder a name on screen (Trojan Source,
// CVE-2021-42574). ZWJ and ZWNJ stay: emoji sequences and Indic scripts need them.
const INVISIBLE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;
const HAS_INVISIBLE = new RegExp(INVISIBLE.source, 'u');
// Whitespace controls read as a space, so "Kim\nMinji" stays two words.
const SPACE_LIKE = /[\t\n\v\f\r\x85\u2028\u2029]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// An email or URL is a key or a link, not prose: any of these and it is not used at all.
const NOT_IN_ADDRESS = /[\p{Cc}\p{Cf}\p{Z}\s]/u;

/**
 * A display string as stored: invisible and control characters removed (line breaks and tabs
 * become spaces), lone surrogates replaced, trimmed, cut to `max` code points (never inside a
 * surrogate pair); `undefined` when nothing is left. Korean, emoji and every other ordinary
 * Unicode text are kept as given.
 */
function displayText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  let text = value
    .replace(SPACE_LIKE, ' ')
    .replace(INVISIBLE, '')
    .replace(LONE_SURROGATE, '\uFFFD')
    .trim();
  // Only a string over `max` UTF-16 units can be over `max` code points.
  if (text.length > max) text = Array.from(text).slice(0, max).join('').trimEnd();
  return text === '' ? undefined : text;
}

function email(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_EMAIL || NOT_IN_ADDRESS.test(value)) {
    return undefined;
  }
  return value.includes('@') ? value : undefined;
}

/** An inline picture, as some providers (and the emulator) send: an image type, nothing else. */
const INLINE_IMAGE = /^data:image\/(png|gif|jpeg|webp|svg\+xml)[;,]/;

function avatarUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_AVATAR_URL || NOT_IN_ADDRESS.test(value)) {
    return undefined;
  }
  // Apps put it in `<img src>` and links: `javascript:` or another `data:` would run or embed
  // anything. An inline image is inert in `<img>` (no script runs in an image, SVG included),
  // and browsers refuse to navigate to a `data:` URL at the top level.
  if (INLINE_IMAGE.test(value)) return value;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The profile as every store receives it, whichever provider sent it (core runs this after the
 * plugin's `toProfile`, before the account rules):
 * - `name` and `nickname`: control and invisible characters removed (NUL among them), at most
 *   {@link MAX_NAME} (256) characters;
 * - `email`: dropped (and `emailVerified` false) when over {@link MAX_EMAIL} (320) characters or
 *   holding a control, format or space character: an address is a key, never repaired;
 * - `avatarUrl`: dropped unless an `http(s)` URL or an inline `data:image/...` picture (PNG,
 *   GIF, JPEG, WebP, SVG) of at most {@link MAX_AVATAR_URL} (2048) characters;
 * - `id` (the subject): the sign-in is refused (`profile_fetch_failed`) when it is empty, over
 *   {@link MAX_SUBJECT} (255) characters or holds a control character: it is the identity's key,
 *   and a cut or cleaned key could name someone else.
 *
 * `raw` is left as received (its stored copy is capped by `providerData`).
 *
 * @example
 * ```ts
 * cleanProfile({ provider: 'google', id: '1', emailVerified: false, name: 'Kim\u0000Minji', raw: {} });
 * // { provider: 'google', id: '1', emailVerified: false, name: 'KimMinji', raw: {} }
 * ```
 */
export function cleanProfile(profile: SocialProfile): SocialProfile {
  const { id } = profile;
  if (typeof id !== 'string' || id === '' || id.length > MAX_SUBJECT || HAS_INVISIBLE.test(id)) {
    throw new SocialAuthError(
      'profile_fetch_failed',
      `The ${profile.provider} profile's subject id is empty, over ${MAX_SUBJECT} characters or holds control characters`,
    );
  }
  const kept = {
    email: email(profile.email),
    name: displayText(profile.name, MAX_NAME),
    nickname: displayText(profile.nickname, MAX_NAME),
    avatarUrl: avatarUrl(profile.avatarUrl),
  };
  const clean: SocialProfile = {
    ...profile,
    emailVerified: kept.email !== undefined && profile.emailVerified === true,
  };
  for (const key of ['email', 'name', 'nickname', 'avatarUrl'] as const) {
    if (kept[key] === undefined) delete clean[key];
    else clean[key] = kept[key];
  }
  // A relay flag describes the email kept, and nothing when there is none.
  if (kept.email !== undefined && profile.emailIsRelay === true) clean.emailIsRelay = true;
  else delete clean.emailIsRelay;
  return clean;
}
