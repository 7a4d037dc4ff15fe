import type { Request, Response } from 'express';
import type { ConsentItem } from '../../consent';
import { sendJson } from '../../http';
import type { ProviderContext } from '../../provider';
import type { ExpiringMap, Grant, IssuedToken, TokenStore } from '../../state';
import type { EmulatorEndpoint } from '../../types';
import type { KakaoUser } from './users';

/**
 * Kakao's real paths (kauth.kakao.com for OAuth and the JWKS, kapi.kakao.com for the user API);
 * only the origin differs from production. Kakao's OIDC discovery document shares Google's path
 * (/.well-known/openid-configuration) on the one origin, so it is not served.
 */
export const KAKAO_PATHS = {
  authorize: '/oauth/authorize',
  token: '/oauth/token',
  userinfo: '/v2/user/me',
  revoke: '/v1/user/unlink',
  logout: '/v1/user/logout',
  tokeninfo: '/v1/user/access_token_info',
  jwks: '/.well-known/jwks.json',
} as const satisfies Partial<Record<EmulatorEndpoint, string>>;

/** Kakao's shipping address API (rest-api "배송지 가져오기"), beyond the sign-in endpoints. */
export const SHIPPING_ADDRESS_PATH = '/v1/user/shipping_address';
/** Kakao's consent withdrawal (rest-api "동의 철회"): the app gives up items the user agreed to. */
export const REVOKE_SCOPES_PATH = '/v2/user/revoke/scopes';

// Kakao's codes are single-use; their lifetime is not documented (unverified): ten minutes.
export const CODE_TTL_MS = 10 * 60 * 1000;
/** 21599 is what Kakao answers in practice (its docs say 43199); PROVIDERS.md. */
export const ACCESS_TOKEN_SECONDS = 21599;
/** Refresh tokens last two months (rest-api "토큰 갱신하기": refresh_token_expires_in 5184000). */
export const REFRESH_TOKEN_SECONDS = 5_184_000;
/** A refresh rotates the refresh token only when less than a month of it remains (ibid.). */
export const REFRESH_RENEW_BELOW_MS = 30 * 24 * 60 * 60 * 1000;

/** The consent items ("동의 항목") the emulator knows, by scope id; `openid` asks for an ID token. */
export const KAKAO_SCOPES: Readonly<Record<string, { item: ConsentItem; label: string }>> = {
  profile_nickname: { item: 'nickname', label: 'Nickname' },
  profile_image: { item: 'profile_image', label: 'Profile picture' },
  account_email: { item: 'email', label: 'Kakao Account email' },
  // Items an app asks for later, with additional consent (rest-api "추가 항목 동의 받기").
  phone_number: { item: 'mobile', label: 'Phone number' },
  shipping_address: { item: 'shipping_address', label: 'Shipping address' },
};
/** Without `scope`, Kakao asks for every item set up for the app. */
export const DEFAULT_SCOPES = ['profile_nickname', 'profile_image', 'account_email'] as const;

export interface KakaoCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly userId: string;
  /** The scopes granted: requested, and not declined on the consent page. */
  readonly scopes: readonly string[];
  readonly authTime: number;
  readonly nonce?: string;
  readonly codeChallenge?: string;
}

/** A running emulated Kakao: the shared services, its users and its own state. */
export interface KakaoContext extends ProviderContext<KakaoUser> {
  readonly codes: ExpiringMap<KakaoCode>;
  readonly tokens: TokenStore;
  /** When each user linked to each app (`connected_at`), by `${clientId}:${userId}`. */
  readonly linkedAt: Map<string, number>;
  /** When the user signed in for a grant: the ID token's `auth_time`, also after refreshes. */
  readonly authTimes: WeakMap<Grant, number>;
  /**
   * The items each user agreed to for each app, by `${clientId}:${userId}`: Kakao remembers
   * them, so a later token covers every item agreed so far (rest-api "추가 항목 동의 받기"),
   * until the app withdraws one (동의 철회) or the user unlinks.
   */
  readonly agreed: Map<string, Set<string>>;
  /** The account KakaoTalk is signed in to (`Emulator.inAppAccount`), if any. */
  inApp: { user: string | undefined };
}

/** Records what the user just agreed to; returns every item agreed so far, `openid` aside. */
export function agree(
  k: KakaoContext,
  clientId: string,
  userId: string,
  scopes: readonly string[],
) {
  const key = `${clientId}:${userId}`;
  const all = k.agreed.get(key) ?? new Set<string>();
  for (const scope of scopes) if (scope !== 'openid') all.add(scope);
  k.agreed.set(key, all);
  return [...all];
}

/** What a token reaches now: its scopes, less the items the user no longer agrees to. */
export function liveScopes(k: KakaoContext, token: IssuedToken): string[] {
  const agreed = k.agreed.get(`${token.grant.clientId}:${token.grant.sub}`);
  return token.scopes.filter((scope) => scope === 'openid' || agreed?.has(scope));
}

export function findUser(k: KakaoContext, id: string): KakaoUser | undefined {
  return k.users.find((user) => user.id === id);
}

/** Kakao's OAuth error: RFC 6749 §5.2 fields plus its own `error_code` (a KOE number). */
export function sendKakaoError(
  res: Response,
  status: number,
  error: string,
  description: string,
  errorCode: string,
): void {
  sendJson(res, status, { error, error_description: description, error_code: errorCode });
}

// RFC 6750 §2.1; the scheme name is case-insensitive (RFC 9110 §11.1).
const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/** The live Kakao access token of the request's Authorization header, and its user. */
export function bearer(
  k: KakaoContext,
  req: Request,
): { value: string; token: IssuedToken; user: KakaoUser } | undefined {
  const value = BEARER.exec(req.headers.authorization ?? '')?.[1];
  const token = value === undefined ? undefined : k.tokens.find(value);
  const user = token?.kind === 'access' ? findUser(k, token.grant.sub) : undefined;
  return value && token && user ? { value, token, user } : undefined;
}

/**
 * Kakao's answer to a missing or dead token (rest-api "공통 에러 코드" -401), with the RFC 6750
 * §3 challenge written the way Kakao writes it: unquoted.
 */
export function sendInvalidToken(res: Response): void {
  sendJson(
    res,
    401,
    { msg: 'this access token does not exist', code: -401 },
    { 'WWW-Authenticate': 'Bearer error=invalid_token' },
  );
}

/** An ISO 8601 instant without milliseconds, as in Kakao's `connected_at`. */
export function kakaoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
