/**
 * A LINE test user: what `/v2/profile` shows (`userId`, `displayName`, `pictureUrl`) and the
 * email the ID token carries when the channel may ask for it.
 *
 * @example
 * ```ts
 * const ada: LineUser = { userId: 'U0123456789abcdef0123456789abcdef', displayName: 'Ada' };
 * ```
 */
export interface LineUser {
  /** `U` and 32 hex digits; it "can't be changed". */
  userId: string;
  displayName: string;
  pictureUrl?: string;
  statusMessage?: string;
  email?: string;
}

/** LINE's default test users. */
export const lineUsers: readonly LineUser[] = [
  {
    userId: 'U4af4980629a1b2c3d4e5f60718293a4b',
    displayName: '김민지',
    statusMessage: '안녕하세요',
    email: 'minji.kim@example.jp',
  },
  { userId: 'Ub0c1d2e3f405162738495a6b7c8d9e0f', displayName: 'Taro Yamada' },
].map((user) => Object.freeze(user));
