import { avatar } from '../../avatar';

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

/** Naver's default test accounts (see DEFAULT_USERS). */
export const naverUsers: readonly NaverUser[] = (
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
