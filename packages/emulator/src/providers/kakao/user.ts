import type { RequestHandler } from 'express';
import { readForm, sendJsonText } from '../../http';
import type { KakaoUser } from './users';
import { bearer, kakaoTime, liveScopes, sendInvalidToken, type KakaoContext } from './common';

/**
 * Writes `{"id":<digits>,...}` by hand: Kakao's id is a bare JSON number of up to 64 bits, and
 * JSON.stringify of a JavaScript number would round anything above 2^53 (RFC 8259 §6 leaves
 * such precision to the parser; the client must read it without loss).
 */
function withId(id: string, rest: Record<string, unknown> = {}): string {
  const tail = JSON.stringify(rest);
  return `{"id":${id}${tail === '{}' ? '}' : `,${tail.slice(1)}`}`;
}

/**
 * The user as Kakao shows them to an app (rest-api "사용자 정보 가져오기"): a consented item
 * has its value and `*_needs_agreement: false`; a declined one only `*_needs_agreement: true`.
 * An account without an email gets no email fields at all (an app without Biz status, which
 * cannot ask for one).
 */
export function userJson(user: KakaoUser, scopes: readonly string[], connectedAt: number): string {
  const nick = scopes.includes('profile_nickname');
  const image = scopes.includes('profile_image');
  const email = scopes.includes('account_email');
  const phone = scopes.includes('phone_number');
  const properties = {
    nickname: nick ? user.nickname : undefined,
    profile_image: image ? user.profile_image_url : undefined,
    thumbnail_image: image ? user.thumbnail_image_url : undefined,
  };
  const hasProperties = Object.values(properties).some((value) => value !== undefined);
  const account = {
    profile_needs_agreement: !nick && !image,
    profile_nickname_needs_agreement: !nick,
    profile_image_needs_agreement: !image,
    profile:
      nick || image
        ? {
            nickname: properties.nickname,
            thumbnail_image_url: properties.thumbnail_image,
            profile_image_url: properties.profile_image,
            is_default_image: image ? user.profile_image_url === undefined : undefined,
          }
        : undefined,
    ...(user.email !== undefined &&
      (email
        ? {
            email_needs_agreement: false,
            is_email_valid: user.is_email_valid ?? true,
            is_email_verified: user.is_email_verified ?? true,
            email: user.email,
          }
        : { email_needs_agreement: true })),
    ...(user.phone_number !== undefined &&
      (phone
        ? { phone_number_needs_agreement: false, phone_number: user.phone_number }
        : { phone_number_needs_agreement: true })),
  };
  return withId(user.id, {
    connected_at: kakaoTime(connectedAt),
    properties: hasProperties ? properties : undefined,
    kakao_account: account,
  });
}

/** GET|POST /v2/user/me. */
export function userHandler(k: KakaoContext): RequestHandler {
  return (req, res) => {
    const auth = bearer(k, req);
    if (!auth) return sendInvalidToken(res);
    const { token, user } = auth;
    const linked = k.linkedAt.get(`${token.grant.clientId}:${user.id}`) ?? k.now();
    sendJsonText(res, 200, userJson(user, liveScopes(k, token), linked));
  };
}

/**
 * GET /v1/user/access_token_info (rest-api "토큰 정보 보기"): whose token this is, for which app
 * (`app_id`, a number) and for how long (`expires_in`, seconds): how a server checks that a token
 * an app hands it was issued to that app.
 */
export function tokenInfoHandler(k: KakaoContext): RequestHandler {
  return (req, res) => {
    const auth = bearer(k, req);
    if (!auth) return sendInvalidToken(res);
    const appId = k.clients.find('kakao', auth.token.grant.clientId)?.appId ?? '0';
    const seconds = Math.max(0, Math.floor(((auth.token.expiresAt ?? k.now()) - k.now()) / 1000));
    sendJsonText(res, 200, withId(auth.user.id, { expires_in: seconds, app_id: Number(appId) }));
  };
}

/** POST /v1/user/logout (rest-api "로그아웃"): expires this login's access and refresh tokens. */
export function logoutHandler(k: KakaoContext): RequestHandler {
  return (req, res) => {
    const auth = bearer(k, req);
    if (!auth) return sendInvalidToken(res);
    auth.token.grant.revoked = true;
    sendJsonText(res, 200, withId(auth.user.id));
  };
}

/**
 * POST /v1/user/unlink (rest-api "연결 끊기"): the user leaves the app, and every token the app
 * holds for them dies, whichever login it came from.
 */
export function unlinkHandler(k: KakaoContext): RequestHandler {
  return (req, res) => {
    const auth = bearer(k, req);
    if (!auth) return sendInvalidToken(res);
    const { clientId } = auth.token.grant;
    const id = auth.user.id;
    k.tokens.revokeGrants((grant) => grant.clientId === clientId && grant.sub === id);
    k.linkedAt.delete(`${clientId}:${id}`);
    k.agreed.delete(`${clientId}:${id}`);
    sendJsonText(res, 200, withId(id));
  };
}

/**
 * GET /v1/user/shipping_address (rest-api "배송지 가져오기"): the user's shipping addresses,
 * with the `shipping_address` consent; without it Kakao's 403 `-402`, which names the scope the
 * user must agree to (`required_scopes`).
 */
export function shippingAddressHandler(k: KakaoContext): RequestHandler {
  return (req, res) => {
    const auth = bearer(k, req);
    if (!auth) return sendInvalidToken(res);
    const { token, user } = auth;
    const scopes = liveScopes(k, token);
    if (!scopes.includes('shipping_address')) {
      const body = {
        msg: '[GET /v1/user/shipping_address.json] insufficient scopes.',
        code: -402,
        api_type: 'USER_GET_SHIPPING_ADDRESS',
        required_scopes: ['shipping_address'],
        allowed_scopes: scopes.filter((s) => s !== 'openid'),
      };
      return sendJsonText(res, 403, JSON.stringify(body));
    }
    const address = user.shipping_address;
    const list = address ? [{ id: 1, name: '집', is_default: true, type: 'NEW', ...address }] : [];
    // user_id is the same bare 64-bit number as /v2/user/me's id.
    const rest = JSON.stringify({
      shipping_addresses_needs_agreement: false,
      shipping_addresses: list,
    });
    sendJsonText(res, 200, `{"user_id":${user.id},${rest.slice(1)}`);
  };
}

/**
 * POST /v2/user/revoke/scopes (rest-api "동의 철회"): the app withdraws items the user agreed to,
 * `scopes` a JSON array of scope ids; tokens issued before no longer reach them.
 */
export function revokeScopesHandler(k: KakaoContext): RequestHandler {
  return async (req, res) => {
    const auth = bearer(k, req);
    if (!auth) return sendInvalidToken(res);
    const form = await readForm(req);
    let scopes: unknown;
    try {
      scopes = form.ok ? JSON.parse(form.params.get('scopes') ?? '') : undefined;
    } catch {
      scopes = undefined;
    }
    if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) {
      const body = { msg: 'scopes must be a JSON array of scope ids', code: -2 };
      return sendJsonText(res, 400, JSON.stringify(body));
    }
    const agreed = k.agreed.get(`${auth.token.grant.clientId}:${auth.user.id}`);
    for (const scope of scopes) agreed?.delete(scope);
    const left = [...(agreed ?? [])].map((id) => ({ id, agreed: true, revocable: true }));
    sendJsonText(res, 200, withId(auth.user.id, { scopes: left }));
  };
}
