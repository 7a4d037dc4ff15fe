import { approveConsent, DEFAULT_CLIENTS, type Emulator } from '../src';

export const CLIENT = DEFAULT_CLIENTS.google;
export const REDIRECT_URI = 'http://localhost:3000/auth/google/callback';

/** A Google authorization URL for the default client; `undefined` drops a default parameter. */
export function authorizeUrl(
  emulator: Emulator,
  params: Record<string, string | undefined> = {},
): string {
  const all: Record<string, string | undefined> = {
    client_id: CLIENT.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: 'openid email profile',
    state: 'state-123',
    ...params,
  };
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(all)) if (value !== undefined) query.set(name, value);
  return `${emulator.origin}/o/oauth2/v2/auth?${query}`;
}

/** Runs the consent page and returns the callback URL the browser would land on. */
export async function callback(
  emulator: Emulator,
  params: Record<string, string | undefined> = {},
  options: { user?: string; deny?: boolean } = {},
): Promise<URL> {
  return new URL(await approveConsent(authorizeUrl(emulator, params), options));
}

export async function authorizationCode(
  emulator: Emulator,
  params: Record<string, string | undefined> = {},
  user?: string,
): Promise<string> {
  const code = (await callback(emulator, params, { user })).searchParams.get('code');
  if (!code) throw new Error('no code in callback');
  return code;
}

export function basic(id: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function json(res: Response): Promise<JsonResponse> {
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown>,
  };
}

/** POSTs a form to the token endpoint; client auth in the body unless `headers` say otherwise. */
export async function token(
  emulator: Emulator,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  const res = await fetch(`${emulator.origin}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return json(res);
}

export function exchange(
  emulator: Emulator,
  code: string,
  extra: Record<string, string> = {},
): Promise<JsonResponse> {
  return token(emulator, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    ...extra,
  });
}

export async function userinfo(emulator: Emulator, accessToken: string): Promise<JsonResponse> {
  const res = await fetch(`${emulator.origin}/v1/userinfo`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  return json(res);
}

export async function revoke(emulator: Emulator, tokenValue: string): Promise<JsonResponse> {
  const res = await fetch(`${emulator.origin}/revoke`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: tokenValue }),
  });
  return json(res);
}

export function str(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`expected a string, got ${typeof value}`);
  return value;
}
