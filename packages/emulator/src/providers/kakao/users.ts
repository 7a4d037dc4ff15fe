import { avatar } from '../../avatar';

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
  /** Kakao's format, `+82 10-1234-5678`; sent with the `phone_number` consent. */
  phone_number?: string;
  /** The default shipping address (배송지), sent by `/v1/user/shipping_address`. */
  shipping_address?: { receiver_name: string; base_address: string; detail_address: string };
}

/** Kakao's default test accounts (see DEFAULT_USERS). */
export const kakaoUsers: readonly KakaoUser[] = [
  {
    // Above 2^53 (Number.MAX_SAFE_INTEGER + 2): JSON.parse into a number would round it.
    id: '9007199254740993',
    nickname: 'Seoyeon',
    profile_image_url: avatar('SY', '#fee500'),
    thumbnail_image_url: avatar('SY', '#fee500'),
    email: 'seoyeon.choi@kakao.com',
    is_email_valid: true,
    is_email_verified: true,
    phone_number: '+82 10-2345-6789',
    shipping_address: {
      receiver_name: '최서연',
      base_address: '서울특별시 중구 세종대로 110',
      detail_address: '3층',
    },
  },
  {
    // An email Kakao has not verified: not an identity to link accounts on.
    id: '3141592653',
    nickname: 'Dohyun',
    profile_image_url: avatar('DH', '#3c1e1e'),
    thumbnail_image_url: avatar('DH', '#3c1e1e'),
    email: 'dohyun.jung@daum.net',
    is_email_valid: true,
    is_email_verified: false,
  },
  // No email at all, as for an app without Biz status (account_email needs one: KOE205).
  { id: '2718281828', nickname: 'Jiwoo' },
].map((user) => Object.freeze(user));
