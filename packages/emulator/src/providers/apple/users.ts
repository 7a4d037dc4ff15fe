/**
 * A Sign in with Apple test account: what Apple's ID token says of it (`sub`, `email`) and the
 * name it hands over once, in the first authorization's `user` field.
 *
 * @example
 * ```ts
 * const ada: AppleUser = { sub: '001000.ada.0001', email: 'ada@icloud.com', firstName: 'Ada', lastName: 'Lovelace' };
 * const emulator = await startEmulator({ users: { apple: [ada] } });
 * ```
 */
export interface AppleUser {
  /** Apple's user id for a team's apps: `<6 digits>.<32 hex>.<4 digits>` in real tokens. */
  sub: string;
  /** The Apple ID's own address. */
  email: string;
  /** Shown instead of `email` when the user chose "Hide My Email" (a relay address). */
  relayEmail?: string;
  firstName?: string;
  lastName?: string;
}

/** Apple's default test accounts (see DEFAULT_USERS). */
export const appleUsers: readonly AppleUser[] = [
  {
    sub: '001234.9a1b2c3d4e5f60718293a4b5c6d7e8f9.0101',
    email: 'minji.kim@icloud.com',
    firstName: '민지',
    lastName: '김',
  },
  {
    // "Hide My Email": the app sees a relay address, flagged is_private_email.
    sub: '001234.0f1e2d3c4b5a69788796a5b4c3d2e1f0.0202',
    email: 'hana.lee@icloud.com',
    relayEmail: 'x7k2p9q4rt@privaterelay.appleid.com',
    firstName: 'Hana',
    lastName: 'Lee',
  },
].map((user) => Object.freeze(user));

/** The address the app is given: the relay one when the user hides theirs. */
export function sharedEmail(user: AppleUser): string {
  return user.relayEmail ?? user.email;
}
