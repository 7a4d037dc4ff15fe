import { approveConsent, DEFAULT_CLIENTS, type Emulator } from '../src';
import { raw, type ConsentOptions, type Raw } from './naver-helpers';

export const KAKAO = DEFAULT_CLIENTS.kakao;
export const KAKAO_REDIRECT = 'http://localhost:3000/auth/kakao/callback';
// RFC 7636 Appendix B.
export const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
export const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
export const BIG_ID = '9007199254740993';

export function kakaoAuthorizeUrl(
  emulator: Emulator,
  params: Record<string, string | undefined> = {},
): string {
  const all: Record<string, string | undefined> = {
    client_id: KAKAO.clientId,
    redirect_uri: KAKAO_REDIRECT,
    response_type: 'code',
    scope: 'profile_nickname,profile_image,account_email',
    state: 'kakao-state-123',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...params,
  };
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(all)) if (value !== undefined) query.set(name, value);
  return `${emulator.origin}/oauth/authorize?${query}`;
}

export async function kakaoCallback(
  emulator: Emulator,
  params: Record<string, string | undefined> = {},
  options: ConsentOptions = {},
): Promise<URL> {
  return new URL(await approveConsent(kakaoAuthorizeUrl(emulator, params), options));
}

export async function kakaoCode(
  emulator: Emulator,
  options: ConsentOptions = {},
  params: Record<string, string | undefined> = {},
): Promise<string> {
  const code = (await kakaoCallback(emulator, params, options)).searchParams.get('code');
  if (!code) throw new Error('no code in callback');
  return code;
}

/** POSTs a form to /oauth/token with Kakao's content type. */
export async function kakaoToken(
  emulator: Emulator,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Raw> {
  return raw(
    await fetch(`${emulator.origin}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8', ...headers },
      body: new URLSearchParams(form),
    }),
  );
}

export function kakaoExchange(
  emulator: Emulator,
  code: string,
  extra: Record<string, string> = {},
): Promise<Raw> {
  return kakaoToken(emulator, {
    grant_type: 'authorization_code',
    client_id: KAKAO.clientId,
    redirect_uri: KAKAO_REDIRECT,
    code,
    client_secret: KAKAO.clientSecret,
    code_verifier: VERIFIER,
    ...extra,
  });
}

export function kakaoRefresh(
  emulator: Emulator,
  refreshToken: string,
  extra: Record<string, string> = {},
): Promise<Raw> {
  return kakaoToken(emulator, {
    grant_type: 'refresh_token',
    client_id: KAKAO.clientId,
    refresh_token: refreshToken,
    client_secret: KAKAO.clientSecret,
    ...extra,
  });
}

/** authorize, consent and token: the token response of a fresh login. */
export async function kakaoLogin(
  emulator: Emulator,
  options: ConsentOptions = {},
  params: Record<string, string | undefined> = {},
  client: { clientId: string; clientSecret: string } = KAKAO,
): Promise<{ access: string; refresh: string; body: Record<string, unknown> }> {
  const code = await kakaoCode(emulator, options, { client_id: client.clientId, ...params });
  const res = await kakaoExchange(emulator, code, {
    client_id: client.clientId,
    client_secret: client.clientSecret,
  });
  const { access_token: access, refresh_token: refresh } = res.body;
  if (typeof access !== 'string' || typeof refresh !== 'string') {
    throw new Error(`no tokens: ${res.text}`);
  }
  return { access, refresh, body: res.body };
}

export async function kakaoApi(
  emulator: Emulator,
  path: '/v2/user/me' | '/v1/user/unlink' | '/v1/user/logout',
  accessToken?: string,
  method: 'GET' | 'POST' = path === '/v2/user/me' ? 'GET' : 'POST',
): Promise<Raw> {
  const headers: Record<string, string> = accessToken
    ? { Authorization: `Bearer ${accessToken}` }
    : {};
  return raw(await fetch(`${emulator.origin}${path}`, { method, headers }));
}

/** The user, parsed with the id kept as its exact digits. */
export function parseUser(text: string): { id: string; rest: Record<string, unknown> } {
  const match = /^\{"id":(\d+)[,}]/.exec(text);
  if (!match?.[1]) throw new Error(`no bare numeric id at the start of ${text}`);
  const { id: _id, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return { id: match[1], rest };
}
