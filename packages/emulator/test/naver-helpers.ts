import { approveConsent, DEFAULT_CLIENTS, type ConsentItem, type Emulator } from '../src';

export const NAVER = DEFAULT_CLIENTS.naver;
export const NAVER_REDIRECT = 'http://localhost:3000/auth/naver/callback';
export const STATE = 'naver-state-123';

export interface Raw {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}

export async function raw(res: Response): Promise<Raw> {
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Empty or non-JSON bodies are checked through `text`.
  }
  return { status: res.status, headers: res.headers, text, body };
}

export function naverAuthorizeUrl(
  emulator: Emulator,
  params: Record<string, string | undefined> = {},
): string {
  const all: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: NAVER.clientId,
    redirect_uri: NAVER_REDIRECT,
    state: STATE,
    ...params,
  };
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(all)) if (value !== undefined) query.set(name, value);
  return `${emulator.origin}/oauth2.0/authorize?${query}`;
}

export interface ConsentOptions {
  user?: string;
  deny?: boolean;
  decline?: ConsentItem[];
}

export async function naverCallback(
  emulator: Emulator,
  params: Record<string, string | undefined> = {},
  options: ConsentOptions = {},
): Promise<URL> {
  return new URL(await approveConsent(naverAuthorizeUrl(emulator, params), options));
}

export async function naverCode(
  emulator: Emulator,
  options: ConsentOptions = {},
  params: Record<string, string | undefined> = {},
): Promise<string> {
  const code = (await naverCallback(emulator, params, options)).searchParams.get('code');
  if (!code) throw new Error('no code in callback');
  return code;
}

/** The token endpoint, by POST form (default) or GET query, as Naver accepts both. */
export async function naverToken(
  emulator: Emulator,
  params: Record<string, string>,
  method: 'GET' | 'POST' = 'POST',
  headers: Record<string, string> = {},
): Promise<Raw> {
  const query = new URLSearchParams(params);
  const url = `${emulator.origin}/oauth2.0/token`;
  if (method === 'GET') return raw(await fetch(`${url}?${query}`, { headers }));
  return raw(
    await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: query,
    }),
  );
}

export function naverExchange(
  emulator: Emulator,
  code: string,
  extra: Record<string, string> = {},
): Promise<Raw> {
  return naverToken(emulator, {
    grant_type: 'authorization_code',
    client_id: NAVER.clientId,
    client_secret: NAVER.clientSecret,
    code,
    state: STATE,
    ...extra,
  });
}

export function naverRefresh(
  emulator: Emulator,
  refreshToken: string,
  extra: Record<string, string> = {},
): Promise<Raw> {
  return naverToken(emulator, {
    grant_type: 'refresh_token',
    client_id: NAVER.clientId,
    client_secret: NAVER.clientSecret,
    refresh_token: refreshToken,
    ...extra,
  });
}

/** authorize, consent and token: the access and refresh tokens of a fresh login. */
export async function naverLogin(
  emulator: Emulator,
  options: ConsentOptions = {},
  client: { clientId: string; clientSecret: string } = NAVER,
): Promise<{ access: string; refresh: string }> {
  const code = await naverCode(emulator, options, { client_id: client.clientId });
  const res = await naverExchange(emulator, code, {
    client_id: client.clientId,
    client_secret: client.clientSecret,
  });
  const { access_token: access, refresh_token: refresh } = res.body;
  if (typeof access !== 'string' || typeof refresh !== 'string') {
    throw new Error(`no tokens: ${res.text}`);
  }
  return { access, refresh };
}

export async function naverMe(emulator: Emulator, accessToken?: string): Promise<Raw> {
  const headers: Record<string, string> = accessToken
    ? { Authorization: `Bearer ${accessToken}` }
    : {};
  return raw(await fetch(`${emulator.origin}/v1/nid/me`, { headers }));
}

export async function naverRevoke(emulator: Emulator, form: Record<string, string>): Promise<Raw> {
  return raw(
    await fetch(`${emulator.origin}/oauth2.0/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: NAVER.clientId,
        client_secret: NAVER.clientSecret,
        ...form,
      }),
    }),
  );
}
