import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { safeEqual } from '../../clients';
import { readForm, sendJson, type Params } from '../../http';
import type { Grant } from '../../state';
import type { EmulatorClient } from '../../types';
import type { KakaoUser } from './users';
import {
  ACCESS_TOKEN_SECONDS,
  agree,
  REFRESH_RENEW_BELOW_MS,
  REFRESH_TOKEN_SECONDS,
  findUser,
  sendKakaoError,
  type KakaoCode,
  type KakaoContext,
} from './common';

type Client = Readonly<EmulatorClient>;

/**
 * POST /oauth/token: Kakao's token endpoint (rest-api "토큰 받기", "토큰 갱신하기"). The client
 * authenticates with `client_id` and `client_secret` in the form body only: an Authorization
 * header is not read, so a client that sends Basic credentials has sent no secret (KOE010).
 * KOE codes follow trouble-shooting; the lists there are incomplete (PROVIDERS.md: unverified).
 */
export function tokenHandler(k: KakaoContext): RequestHandler {
  return async (req, res) => {
    const form = await readForm(req);
    if (!form.ok) return sendKakaoError(res, 400, 'invalid_request', form.description, 'KOE001');
    const p = form.params;
    const clientId = p.get('client_id') ?? '';
    const client = k.clients.find('kakao', clientId);
    if (!client) {
      const description = `Not exist client_id [${clientId}]`;
      return sendKakaoError(res, 401, 'invalid_client', description, 'KOE101');
    }
    const secret = p.get('client_secret');
    if (secret === undefined || !safeEqual(secret, client.clientSecret ?? '')) {
      return sendKakaoError(res, 401, 'invalid_client', 'Bad client credentials', 'KOE010');
    }
    const grantType = p.get('grant_type');
    if (grantType === 'authorization_code') return exchangeCode(k, res, p, client);
    if (grantType === 'refresh_token') return refresh(k, res, p, client);
    const description = `grant_type must be authorization_code or refresh_token`;
    sendKakaoError(res, 400, 'unsupported_grant_type', description, 'KOE001');
  };
}

async function exchangeCode(k: KakaoContext, res: Response, p: Params, client: Client) {
  const value = p.get('code') ?? '';
  const notFound = () =>
    sendKakaoError(
      res,
      400,
      'invalid_grant',
      `authorization code not found for code=${value}`,
      'KOE320',
    );
  const found = k.codes.get(value);
  // Another client's code is not this client's to burn; anything else consumes it (single use).
  if (!found || found.clientId !== client.clientId) return notFound();
  const code = k.codes.take(value);
  const user = code && findUser(k, code.userId);
  if (!code || !user) return notFound();
  // RFC 6749 §4.1.3: redirect_uri identical to the authorization request's.
  if (p.get('redirect_uri') !== code.redirectUri) {
    return sendKakaoError(res, 400, 'invalid_grant', 'redirect_uri mismatch', 'KOE303');
  }
  // Kakao documents no KOE code for PKCE failures (unverified): KOE320, as for a bad code.
  const pkceError = checkVerifier(code, p.get('code_verifier'));
  if (pkceError) return sendKakaoError(res, 400, 'invalid_grant', pkceError, 'KOE320');
  // Kakao remembers what the user agreed to: the token covers every item agreed so far.
  const agreed = agree(k, client.clientId, user.id, code.scopes);
  const grant: Grant = {
    provider: 'kakao',
    clientId: client.clientId,
    sub: user.id,
    scopes: code.scopes.includes('openid') ? ['openid', ...agreed] : agreed,
    revoked: false,
  };
  k.authTimes.set(grant, code.authTime);
  const link = `${client.clientId}:${user.id}`;
  if (!k.linkedAt.has(link)) k.linkedAt.set(link, k.now());
  const accessToken = issueAccess(k, grant);
  sendJson(res, 200, {
    token_type: 'bearer',
    access_token: accessToken,
    id_token: await idToken(k, grant, user, code.nonce),
    expires_in: ACCESS_TOKEN_SECONDS,
    refresh_token: issueRefresh(k, grant),
    refresh_token_expires_in: REFRESH_TOKEN_SECONDS,
    scope: grant.scopes.join(' '),
  });
}

/** RFC 7636 §4.6 (S256 only), and RFC 9700 §2.1.1: a verifier without a challenge is refused. */
function checkVerifier(code: KakaoCode, verifier: string | undefined): string | undefined {
  if (!code.codeChallenge) {
    return verifier === undefined ? undefined : 'code_verifier without code_challenge';
  }
  if (verifier === undefined) return 'code_verifier is required';
  const computed = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  const valid = /^[A-Za-z0-9._~-]{43,128}$/.test(verifier);
  return valid && safeEqual(computed, code.codeChallenge) ? undefined : 'invalid code_verifier';
}

/**
 * A new access token always; a new refresh token only when less than a month of the current
 * one's two months remains, else none and the current one stays valid ("토큰 갱신하기"). The
 * replaced refresh token dies at once (unverified: Kakao does not say how long it lives on).
 */
async function refresh(k: KakaoContext, res: Response, p: Params, client: Client) {
  const value = p.get('refresh_token') ?? '';
  const token = k.tokens.find(value);
  const user = token && findUser(k, token.grant.sub);
  if (!token || !user || token.kind !== 'refresh' || token.grant.clientId !== client.clientId) {
    return sendKakaoError(res, 400, 'invalid_grant', 'invalid refresh token', 'KOE322');
  }
  const { grant } = token;
  const renew = token.expiresAt !== undefined && token.expiresAt - k.now() < REFRESH_RENEW_BELOW_MS;
  const refreshToken = renew ? issueRefresh(k, grant) : undefined;
  if (renew) k.tokens.delete(value);
  sendJson(res, 200, {
    token_type: 'bearer',
    access_token: issueAccess(k, grant),
    id_token: await idToken(k, grant, user),
    expires_in: ACCESS_TOKEN_SECONDS,
    refresh_token: refreshToken,
    refresh_token_expires_in: renew ? REFRESH_TOKEN_SECONDS : undefined,
  });
}

/** An access token for the grant, as the token endpoint (or the Kakao SDK's login) issues it. */
export function issueAccess(k: KakaoContext, grant: Grant): string {
  const token = { kind: 'access' as const, grant, scopes: grant.scopes };
  return k.tokens.issue(token, '', ACCESS_TOKEN_SECONDS * 1000);
}

function issueRefresh(k: KakaoContext, grant: Grant): string {
  const token = { kind: 'refresh' as const, grant, scopes: grant.scopes };
  return k.tokens.issue(token, '', REFRESH_TOKEN_SECONDS * 1000);
}

/**
 * With `openid`: Kakao's ID token (rest-api "OpenID Connect ID 토큰"): `sub` the id as a string,
 * `nickname`/`picture` as consented, `email` only when consented, valid and verified (Kakao has
 * no `email_verified` claim).
 */
/** The ID token Kakao issues with `openid` (also what the Kakao SDK hands an app). */
export async function idToken(
  k: KakaoContext,
  grant: Grant,
  user: KakaoUser,
  nonce?: string,
): Promise<string | undefined> {
  if (!grant.scopes.includes('openid')) return undefined;
  const iat = Math.floor(k.now() / 1000);
  const has = (scope: string) => grant.scopes.includes(scope);
  const verified = user.is_email_valid !== false && user.is_email_verified !== false;
  const claims = k.idTokenOverrides.apply('kakao', {
    aud: grant.clientId,
    sub: user.id,
    auth_time: Math.floor((k.authTimes.get(grant) ?? k.now()) / 1000),
    iss: k.origin,
    nickname: has('profile_nickname') ? user.nickname : undefined,
    exp: iat + ACCESS_TOKEN_SECONDS,
    iat,
    nonce,
    picture: has('profile_image') ? user.profile_image_url : undefined,
    email: has('account_email') && verified ? user.email : undefined,
  });
  return claims && k.key.sign(claims);
}
