import type { Request, Response } from 'express';

const MAX_BODY_BYTES = 64 * 1024;
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Request parameters read the way RFC 6749 asks, whatever their source (query or form body). */
export class Params {
  constructor(private readonly raw: URLSearchParams) {}

  /** RFC 6749 §3.1 and §3.2: a parameter sent without a value is treated as omitted. */
  get(name: string): string | undefined {
    return this.raw.getAll(name).find((value) => value !== '');
  }

  /** Every non-empty value of a repeatable parameter, such as a form's checkboxes. */
  getAll(name: string): string[] {
    return this.raw.getAll(name).filter((value) => value !== '');
  }

  /** RFC 6749 §3.1 and §3.2: parameters MUST NOT be included more than once. */
  repeated(): string | undefined {
    const seen = new Set<string>();
    for (const [name, value] of this.raw) {
      if (value === '') continue;
      if (seen.has(name)) return name;
      seen.add(name);
    }
    return undefined;
  }
}

export function queryParams(req: Request): Params {
  const url = req.originalUrl;
  const at = url.indexOf('?');
  return new Params(new URLSearchParams(at === -1 ? '' : url.slice(at + 1)));
}

export type FormResult =
  { ok: true; params: Params; raw: URLSearchParams } | { ok: false; description: string };

/**
 * Reads an application/x-www-form-urlencoded body by hand: URLSearchParams never throws on
 * malformed input, so a bad body becomes a 400 in the provider's shape rather than a crash.
 */
export async function readForm(req: Request): Promise<FormResult> {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    }
  } catch {
    return { ok: false, description: 'Request body could not be read' };
  }
  if (size > MAX_BODY_BYTES) return { ok: false, description: 'Request body too large' };
  if (size > 0 && type !== FORM_TYPE) {
    return { ok: false, description: `Content-Type must be ${FORM_TYPE}` };
  }
  const raw = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  return { ok: true, params: new Params(raw), raw };
}

/**
 * The query and, for a request with a body, the form body together: Naver reads its parameters
 * from either (nid.naver.com accepts GET and POST alike on /oauth2.0/authorize and /token).
 */
export async function requestParams(req: Request): Promise<FormResult> {
  const form = await readForm(req);
  if (!form.ok) return form;
  const at = req.originalUrl.indexOf('?');
  const merged = new URLSearchParams(at === -1 ? '' : req.originalUrl.slice(at + 1));
  for (const [name, value] of form.raw) merged.append(name, value);
  return { ok: true, params: new Params(merged), raw: merged };
}

/** JSON with the caching headers RFC 6749 §5.1 requires for anything carrying tokens. */
export function sendJson(
  res: Response,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendJsonText(res, status, JSON.stringify(body, null, 2), headers);
}

/** Already serialised JSON, for bodies JSON.stringify cannot write (Kakao's 64-bit ids). */
export function sendJsonText(
  res: Response,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res
    .status(status)
    .set({
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      ...headers,
    })
    .send(text);
}

/**
 * Adds parameters to a redirect URI, keeping its own query (RFC 6749 §3.1.2). The URI is not
 * re-serialised, so the client gets back exactly the redirect_uri it registered.
 */
export function withParams(uri: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) query.set(name, value);
  return appendQuery(uri, query.toString());
}

/**
 * Like {@link withParams}, but spaces become `%20` rather than `+`: Kakao's callbacks are
 * encoded this way (`error_description=User%20denied%20access`).
 */
export function withPercentParams(uri: string, params: Record<string, string | undefined>): string {
  const text = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  return appendQuery(uri, text);
}

function appendQuery(uri: string, text: string): string {
  if (text === '') return uri;
  return (
    uri + (uri.includes('?') ? (uri.endsWith('?') || uri.endsWith('&') ? '' : '&') : '?') + text
  );
}

/** A 302 that neither caches nor leaks the code-bearing URL through Referer (RFC 9700 §4.2.4). */
export function redirect(res: Response, location: string): void {
  res
    .status(302)
    .set({ Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })
    .end();
}

/** HTTP Basic client credentials (RFC 6749 §2.3.1: each half form-encoded before Base64). */
export function parseBasic(header: string): { id: string; secret: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  try {
    // RFC 6749 §2.3.1: both halves are form-urlencoded before Base64.
    const unform = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
    return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}
