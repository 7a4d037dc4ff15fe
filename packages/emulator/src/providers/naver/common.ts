import { createHmac } from 'node:crypto';
import type { Response } from 'express';
import { safeEqual } from '../../clients';
import type { ConsentItem } from '../../consent';
import { sendJson, type Params } from '../../http';
import type { ProviderContext } from '../../provider';
import type { ExpiringMap, TokenStore } from '../../state';
import type { EmulatorClient, EmulatorEndpoint } from '../../types';
import type { NaverUser } from './users';

/**
 * Naver's real paths (nid.naver.com for OAuth, openapi.naver.com for the profile API); only the
 * origin differs from production.
 */
export const NAVER_PATHS = {
  authorize: '/oauth2.0/authorize',
  token: '/oauth2.0/token',
  revoke: '/oauth2.0/revoke',
  userinfo: '/v1/nid/me',
} as const satisfies Partial<Record<EmulatorEndpoint, string>>;

// Naver documents no code lifetime (unverified); ten minutes is generous for a test.
export const CODE_TTL_MS = 10 * 60 * 1000;
/** Naver access tokens last an hour; the token response says so as the string "3600". */
export const ACCESS_TOKEN_SECONDS = 3600;
// Naver's access tokens start with 'AAAA' (seen in public fixtures); the shape is cosmetic.
export const TOKEN_PREFIX = { access: 'AAAAO', refresh: '' } as const;

export interface NaverCode {
  readonly clientId: string;
  readonly state: string;
  readonly key: string;
  readonly items: readonly ConsentItem[];
}

/** A running emulated Naver: the shared services, its users and its own state. */
export interface NaverContext extends ProviderContext<NaverUser> {
  readonly codes: ExpiringMap<NaverCode>;
  readonly tokens: TokenStore;
  /** The items each user last agreed to for each app, by `${clientId}:${key}`: linked users. */
  readonly linked: Map<string, readonly ConsentItem[]>;
  /** The account the NAVER app is signed in to (`Emulator.inAppAccount`), if any. */
  inApp: { user: string | undefined };
}

/** The profile items of Naver's consent screen, in the order of the profile API's fields. */
export const NAVER_ITEMS: readonly { item: ConsentItem & keyof NaverUser; label: string }[] = [
  { item: 'nickname', label: 'Nickname' },
  { item: 'name', label: 'Name' },
  { item: 'email', label: 'Email address' },
  { item: 'gender', label: 'Gender' },
  { item: 'age', label: 'Age range' },
  { item: 'birthday', label: 'Birthday' },
  { item: 'birthyear', label: 'Birth year' },
  { item: 'profile_image', label: 'Profile picture' },
  { item: 'mobile', label: 'Mobile phone number' },
];

/**
 * The `id` Naver gives one account in one app. Naver's ids are per app ("앱별 식별자", a
 * base64-looking string of up to 64 characters for apps made after 2021-05-01: profile.md), so
 * two apps cannot correlate a user; an HMAC keyed by the client id gives the same property.
 */
export function naverId(clientId: string, key: string): string {
  return createHmac('sha256', clientId).update(key).digest('base64url').slice(0, 43);
}

export function findUser(n: NaverContext, key: string): NaverUser | undefined {
  return n.users.find((user) => user.key === key);
}

/** The profile API's `response`: `id`, then only the items the user agreed to and has. */
export function profile(
  user: NaverUser,
  clientId: string,
  items: readonly string[],
): Record<string, string> {
  const response: Record<string, string> = { id: naverId(clientId, user.key) };
  for (const { item } of NAVER_ITEMS) {
    const value = user[item];
    if (items.includes(item) && value !== undefined) response[item] = value;
  }
  return response;
}

/**
 * Naver's token endpoint error: `{"error", "error_description"}` with HTTP 200, not the 400 of
 * RFC 6749 §5.2 (the status seen in public fixtures, PROVIDERS.md).
 */
export function sendNaverError(res: Response, error: string, description: string): void {
  sendJson(res, 200, { error, error_description: description });
}

/** Client authentication by parameters only (query or form): Naver reads no Basic header. */
export function authenticate(n: NaverContext, p: Params): Readonly<EmulatorClient> | undefined {
  const id = p.get('client_id');
  const secret = p.get('client_secret');
  const client = id === undefined ? undefined : n.clients.find('naver', id);
  if (!client || secret === undefined || !safeEqual(secret, client.clientSecret ?? ''))
    return undefined;
  return client;
}
