import { providers, type Providers } from './providers';
import type { ProviderUsers } from './users';

/**
 * Clients registered on every emulator, one per provider. They accept any http(s) `redirect_uri`.
 *
 * @example
 * ```ts
 * const { clientId, clientSecret } = DEFAULT_CLIENTS.kakao;
 * const url = `${emulator.origin}/oauth/authorize?client_id=${clientId}&response_type=code&...`;
 * ```
 */
export const DEFAULT_CLIENTS: {
  readonly [P in Providers[number] as P['name']]: P['defaultClient'];
} = Object.freeze(
  Object.fromEntries(providers.map((p) => [p.name, p.defaultClient])) as {
    [P in Providers[number] as P['name']]: P['defaultClient'];
  },
);

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
export const DEFAULT_USERS: { readonly [P in keyof ProviderUsers]: readonly ProviderUsers[P][] } =
  Object.freeze(
    Object.fromEntries(providers.map((p) => [p.name, Object.freeze(p.defaultUsers)])) as {
      [P in keyof ProviderUsers]: readonly ProviderUsers[P][];
    },
  );
