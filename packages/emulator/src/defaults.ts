import type { GoogleUser } from './types';

// Inline SVG so profile pictures never reach the internet (tests run offline).
function avatar(initials: string, color: string): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">` +
    `<rect width="96" height="96" rx="48" fill="${color}"/>` +
    `<text x="48" y="61" font-family="sans-serif" font-size="40" fill="#fff" text-anchor="middle">${initials}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/**
 * Clients registered on every emulator. They accept any http(s) `redirect_uri`.
 *
 * @example
 * ```ts
 * const { clientId, clientSecret } = DEFAULT_CLIENTS.google;
 * const url = `${emulator.origin}/o/oauth2/v2/auth?client_id=${clientId}&...`;
 * ```
 */
export const DEFAULT_CLIENTS = Object.freeze({
  google: Object.freeze({
    clientId: 'emulator-google-client-id',
    clientSecret: 'emulator-google-client-secret',
  }),
}) satisfies { google: { clientId: string; clientSecret: string } };

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

/**
 * Test accounts used when {@link EmulatorOptions.users} gives none: a verified Gmail user
 * (Alice Kim), a Workspace user with `hd: 'example.org'` (Bob Park) and a user whose email is
 * not verified (Carol Lee).
 *
 * @example
 * ```ts
 * const location = await approveConsent(authorizeUrl, { user: DEFAULT_USERS.google[1].email });
 * ```
 */
export const DEFAULT_USERS: { readonly google: readonly GoogleUser[] } = Object.freeze({
  google: Object.freeze(googleUsers),
});
