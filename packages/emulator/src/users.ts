import { DEFAULT_USERS } from './defaults';
import { naverId } from './providers/naver-common';
import type { EmulatorOptions, ProviderName } from './types';

/**
 * A Google test account, shaped like Google's userinfo response (and the matching ID token claims).
 *
 * @example
 * ```ts
 * const ada: GoogleUser = { sub: '110000000000000000042', email: 'ada@example.com', email_verified: true, name: 'Ada' };
 * const emulator = await startEmulator({ users: { google: [ada] } });
 * ```
 */
export interface GoogleUser {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
  /** Workspace domain; Google sends it only for Workspace accounts. */
  hd?: string;
  locale?: string;
}

/**
 * A Naver test account. Fields other than `key` are those of Naver's profile API
 * (`/v1/nid/me`, naver/naver-openapi-guide ko/login/profile/profile.md); any may be absent. The
 * `id` Naver sends is not stored: it is derived per client from `key` (see {@link Emulator.subject}).
 *
 * @example
 * ```ts
 * const hana: NaverUser = { key: 'hana', nickname: 'hana', email: 'hana@naver.com', gender: 'F' };
 * const emulator = await startEmulator({ users: { naver: [hana] } });
 * ```
 */
export interface NaverUser {
  /** Stable test handle, never sent on the wire; also the consent page's account value. */
  key: string;
  nickname?: string;
  name?: string;
  /** A contact address Naver does not verify. */
  email?: string;
  gender?: 'F' | 'M' | 'U';
  /** An age range such as '40-49'. */
  age?: string;
  /** 'MM-DD'. */
  birthday?: string;
  birthyear?: string;
  profile_image?: string;
  mobile?: string;
}

/**
 * A Kakao test account (developers.kakao.com/docs/ko/kakaologin/rest-api, "사용자 정보 가져오기").
 *
 * @example
 * ```ts
 * const big: KakaoUser = { id: '9223372036854775807', nickname: 'max', email: 'max@kakao.com' };
 * const emulator = await startEmulator({ users: { kakao: [big] } });
 * ```
 */
export interface KakaoUser {
  /**
   * Decimal digits of a positive signed 64-bit integer. Kept as a string because values above
   * 2^53 cannot survive a JavaScript number; the wire carries it as a bare JSON number.
   */
  id: string;
  nickname?: string;
  profile_image_url?: string;
  thumbnail_image_url?: string;
  /** Absent: the account has no email, and Kakao sends no email fields at all. */
  email?: string;
  /** Defaults to true when `email` is set. */
  is_email_valid?: boolean;
  /** Defaults to true when `email` is set. */
  is_email_verified?: boolean;
}

/**
 * The account type of each provider.
 *
 * @example
 * ```ts
 * const first: ProviderUsers['naver'] | undefined = emulator.users('naver')[0];
 * ```
 */
export interface ProviderUsers {
  google: GoogleUser;
  naver: NaverUser;
  kakao: KakaoUser;
}

/** Every provider's accounts, validated and frozen. */
export type UserLists = { readonly [P in ProviderName]: readonly ProviderUsers[P][] };

// Kakao's id is a signed 64-bit integer ("회원번호", Long in the Kakao SDKs).
const INT64_MAX = 2n ** 63n - 1n;
const GENDERS: readonly string[] = ['F', 'M', 'U'];

/** Given accounts, or the defaults; throws a TypeError naming the bad field. */
export function userLists(given: EmulatorOptions['users'] = {}): UserLists {
  return {
    google: freeze(given.google ?? DEFAULT_USERS.google, 'sub', (user) => user.sub),
    naver: freeze(given.naver ?? DEFAULT_USERS.naver, 'key', (user) => user.key, checkNaver),
    kakao: freeze(given.kakao ?? DEFAULT_USERS.kakao, 'id', (user) => user.id, checkKakao),
  };
}

function freeze<U extends object>(
  users: readonly U[],
  field: string,
  key: (user: U) => unknown,
  check?: (user: U) => void,
): readonly U[] {
  const seen = new Set<string>();
  for (const user of users) {
    const value = key(user);
    if (typeof value !== 'string' || value === '') {
      throw new TypeError(`user.${field} must be a non-empty string`);
    }
    if (seen.has(value)) throw new TypeError(`user.${field} is duplicated: ${value}`);
    seen.add(value);
    check?.(user);
  }
  return Object.freeze(users.map((user) => Object.freeze({ ...user })));
}

function checkNaver(user: NaverUser): void {
  if (user.gender !== undefined && !GENDERS.includes(user.gender)) {
    throw new TypeError("user.gender must be 'F', 'M' or 'U'");
  }
}

function checkKakao(user: KakaoUser): void {
  if (!/^[1-9][0-9]{0,18}$/.test(user.id) || BigInt(user.id) > INT64_MAX) {
    throw new TypeError('user.id must be the decimal digits of a positive 64-bit integer');
  }
}

/** See {@link Emulator.subject}. */
export function subjectOf(
  users: UserLists,
  provider: ProviderName,
  userKey: string,
  clientId: string,
): string {
  const known =
    provider === 'google'
      ? users.google.some((user) => user.sub === userKey)
      : provider === 'naver'
        ? users.naver.some((user) => user.key === userKey)
        : users.kakao.some((user) => user.id === userKey);
  if (!known) throw new TypeError(`No ${provider} test account has the key ${userKey}`);
  return provider === 'naver' ? naverId(clientId, userKey) : userKey;
}
