import type { EmulatorProvider } from './provider';
import { providers, type Providers } from './providers';
import type { ProviderName } from './types';

export type { AppleUser } from './providers/apple';
export type { GitHubUser } from './providers/github';
export type { GoogleUser } from './providers/google';
export type { KakaoUser } from './providers/kakao';
export type { LineUser } from './providers/line';
export type { MicrosoftUser } from './providers/microsoft';
export type { NaverUser } from './providers/naver';

type UserOf<P> = P extends EmulatorProvider<ProviderName, infer U> ? U : never;

/**
 * The account type of each provider.
 *
 * @example
 * ```ts
 * const first: ProviderUsers['naver'] | undefined = emulator.users('naver')[0];
 * ```
 */
export type ProviderUsers = { [P in Providers[number] as P['name']]: UserOf<P> };

/** Every provider's accounts, validated and frozen. */
export type UserLists = { readonly [P in ProviderName]: readonly ProviderUsers[P][] };

/** Accounts given per provider, as in `EmulatorOptions.users`. */
export type GivenUsers = { [P in ProviderName]?: readonly ProviderUsers[P][] };

/** Given accounts, or the defaults; throws a TypeError naming the bad field. */
export function userLists(given: GivenUsers = {}): UserLists {
  const lists = Object.fromEntries(
    providers.map((provider: EmulatorProvider) => [
      provider.name,
      freeze(provider, given[provider.name] ?? provider.defaultUsers),
    ]),
  );
  return lists as UserLists;
}

function freeze(provider: EmulatorProvider, users: readonly object[]): readonly object[] {
  const seen = new Set<string>();
  const field = provider.userKeyField;
  for (const user of users) {
    const value = provider.userKey(user);
    if (typeof value !== 'string' || value === '') {
      throw new TypeError(`user.${field} must be a non-empty string`);
    }
    if (seen.has(value)) throw new TypeError(`user.${field} is duplicated: ${value}`);
    seen.add(value);
    provider.checkUser?.(user);
  }
  return Object.freeze(users.map((user) => Object.freeze({ ...user })));
}

/** The provider of that name; throws a TypeError for an unknown one. */
export function providerNamed(name: string): EmulatorProvider {
  const provider = providers.find((p: EmulatorProvider) => p.name === name);
  if (!provider) throw new TypeError(`${name} is not an emulated provider`);
  return provider;
}

/** See `Emulator.subject`. */
export function subjectOf(
  users: UserLists,
  name: ProviderName,
  userKey: string,
  clientId: string,
): string {
  const provider = providerNamed(name);
  const list: readonly object[] = users[name];
  if (!list.some((user) => provider.userKey(user) === userKey)) {
    throw new TypeError(`No ${name} test account has the key ${userKey}`);
  }
  return provider.subject?.(userKey, clientId) ?? userKey;
}
