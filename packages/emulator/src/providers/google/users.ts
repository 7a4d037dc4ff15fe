import { avatar } from '../../avatar';

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

/** Google's default test accounts (see DEFAULT_USERS). */
export const googleUsers: readonly GoogleUser[] = [
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
