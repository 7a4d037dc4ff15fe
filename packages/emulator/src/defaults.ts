import type { ProviderName } from './types';
import type { GoogleUser, KakaoUser, NaverUser } from './users';

// Inline SVG so profile pictures never reach the internet (tests run offline).
function avatar(initials: string, color: string): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">` +
    `<rect width="96" height="96" rx="48" fill="${color}"/>` +
    `<text x="48" y="61" font-family="sans-serif" font-size="40" fill="#fff" text-anchor="middle">${initials}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/**
 * Clients registered on every emulator, one per provider. They accept any http(s) `redirect_uri`.
 *
 * @example
 * ```ts
 * const { clientId, clientSecret } = DEFAULT_CLIENTS.kakao;
 * const url = `${emulator.origin}/oauth/authorize?client_id=${clientId}&response_type=code&...`;
 * ```
 */
export const DEFAULT_CLIENTS = Object.freeze({
  google: Object.freeze({
    clientId: 'emulator-google-client-id',
    clientSecret: 'emulator-google-client-secret',
  }),
  naver: Object.freeze({
    clientId: 'emulator-naver-client-id',
    clientSecret: 'emulator-naver-client-secret',
  }),
  kakao: Object.freeze({
    // Kakao calls the client id the "REST API key".
    clientId: 'emulator-kakao-client-id',
    clientSecret: 'emulator-kakao-client-secret',
    // The primary admin key (대표 어드민 키) and app ID its unlink webhook carries.
    adminKey: 'emulator-kakao-admin-key',
    appId: '1000001',
  }),
}) satisfies Record<ProviderName, { clientId: string; clientSecret: string }>;

const googleUsers: readonly GoogleUser[] = [
  {
    sub: '104834925480000000001',
    email: 'alice.kim@gmail.com',
    email_verified: true,
    name: 'Alice Kim',
    given_name: 'Alice',
    family_name: 'Kim',
    picture: avatar('AK', '#1a73e8'),
    locale: 'en',
  },
  {
    sub: '104834925480000000002',
    email: 'bob.park@example.org',
    email_verified: true,
    name: 'Bob Park',
    given_name: 'Bob',
    family_name: 'Park',
    picture: avatar('BP', '#188038'),
    hd: 'example.org',
  },
  {
    // Unverified email and no picture: exercises clients that must not trust or require them.
    sub: '104834925480000000003',
    email: 'carol.lee@example.net',
    email_verified: false,
    name: 'Carol Lee',
    given_name: 'Carol',
    family_name: 'Lee',
  },
].map((user) => Object.freeze(user));

const naverUsers: readonly NaverUser[] = (
  [
    {
      key: 'minji',
      nickname: 'minji',
      name: '김민지',
      email: 'minji.kim@naver.com',
      gender: 'F',
      age: '40-49',
      birthday: '03-14',
      birthyear: '1983',
      profile_image: avatar('MK', '#03c75a'),
      mobile: '010-1234-5678',
    },
    // Few fields and no email: Naver apps must not require what a user may decline or lack.
    { key: 'junho', nickname: 'junho', gender: 'U' },
  ] satisfies NaverUser[]
).map((user) => Object.freeze(user));

const kakaoUsers: readonly KakaoUser[] = [
  {
    // Above 2^53 (Number.MAX_SAFE_INTEGER + 2): JSON.parse into a number would round it.
    id: '9007199254740993',
    nickname: 'Seoyeon',
    profile_image_url: avatar('SY', '#fee500'),
    thumbnail_image_url: avatar('SY', '#fee500'),
    email: 'seoyeon.choi@kakao.com',
    is_email_valid: true,
    is_email_verified: true,
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

/**
 * Test accounts used when {@link EmulatorOptions.users} gives none.
 * - Google: a verified Gmail user (Alice Kim), a Workspace user with `hd: 'example.org'` (Bob
 *   Park) and a user whose email is not verified (Carol Lee).
 * - Naver: `minji` with every profile field and `junho` with a nickname and gender only.
 * - Kakao: `9007199254740993` (above 2^53) with a verified email, `3141592653` whose email is
 *   not verified, and `2718281828` without an email.
 *
 * @example
 * ```ts
 * const location = await approveConsent(authorizeUrl, { user: DEFAULT_USERS.google[1].email });
 * const kakaoId = DEFAULT_USERS.kakao[0].id; // '9007199254740993', a string
 * ```
 */
export const DEFAULT_USERS: {
  readonly google: readonly GoogleUser[];
  readonly naver: readonly NaverUser[];
  readonly kakao: readonly KakaoUser[];
} = Object.freeze({
  google: Object.freeze(googleUsers),
  naver: Object.freeze(naverUsers),
  kakao: Object.freeze(kakaoUsers),
});
