import { SocialAuthError, type SocialAuthErrorCode } from '../errors';
import type { ConfigIssue } from '../contract';

/**
 * The most socialauth reads of any provider answer (token, userinfo or profile, revoke,
 * token info, discovery, JWKS): 1 MiB. Real answers are a few kilobytes; past this, the request
 * is aborted and fails with the route's typed error, and the rest of the body is never read.
 */
export const MAX_PROVIDER_RESPONSE_BYTES = 1024 * 1024;

/** Hosts that only this machine reaches: localhost, *.localhost, 127.0.0.0/8 and [::1]. */
const LOOPBACK = /^(localhost|[^.]+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Whether `hostname` (as `URL.hostname` spells it, IPv6 in brackets) is this machine's own
 * (RFC 6761 §6.3 for `localhost`, RFC 1122 §3.2.1.3 for 127/8, RFC 4291 §2.5.3 for ::1).
 *
 * @example
 * ```ts
 * isLoopbackHost('127.0.0.1'); // true
 * isLoopbackHost('192.0.2.10'); // false
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/**
 * Problems with a URL a secret or a token is sent to: it must parse and use https, or http on a
 * loopback host only, in every environment (RFC 6749 §10.9 and §3.2: the token endpoint MUST use
 * TLS; RFC 6750 §5.3: bearer tokens travel only over TLS; RFC 9700 §4.3). The message names the
 * field and the fix, never the value.
 *
 * @example
 * ```ts
 * secureURLIssues('http://203.0.113.10/token', 'tokenURL');
 * // [{ field: 'tokenURL', message: 'tokenURL must use https ...' }]
 * ```
 */
export function secureURLIssues(
  value: unknown,
  field: string,
  example = 'https://provider.example/oauth/token',
): ConfigIssue[] {
  if (typeof value !== 'string' || !URL.canParse(value)) {
    return [{ field, message: `${field} must be a URL, like ${example}` }];
  }
  const { protocol, hostname } = new URL(value);
  if (protocol === 'https:' || (protocol === 'http:' && isLoopbackHost(hostname))) return [];
  return [
    {
      field,
      message:
        `${field} must use https, like ${example}: secrets and tokens are sent there ` +
        '(http only on localhost, *.localhost, 127.0.0.0/8 or [::1])',
    },
  ];
}

/**
 * Whether a client id or secret is one of `@socialauth/emulator`'s public defaults
 * (`DEFAULT_CLIENTS`: `emulator-google-client-id`, `emulator-kakao-admin-key`, ...). Core never
 * imports the emulator, so the defaults are recognised by the `emulator-` prefix they all share.
 */
export function isEmulatorCredential(value: string | undefined): boolean {
  return value !== undefined && value.startsWith('emulator-');
}

/** What {@link backChannelFetch} read: the status and the body as text (at most the cap). */
export interface BackChannelAnswer {
  status: number;
  text: string;
}

/**
 * One back-channel request to a provider: a time limit, no redirects followed, and the body read
 * up to {@link MAX_PROVIDER_RESPONSE_BYTES}. A 3xx answer is refused: following a 307/308 would
 * send the form (refresh token, client secret) or the Bearer token again to wherever `Location`
 * points (SECURITY.md "Back-channel requests"; RFC 9700 §4.11 for open redirectors, RFC 6749
 * §10.3 and §10.9 for where secrets may go). Network failures, timeouts, a redirect and an
 * oversized body are all `failure`, with the reason as the message and the cause.
 *
 * @example
 * ```ts
 * const { status, text } = await backChannelFetch(url, { method: 'POST', body }, 'refresh_failed', 10_000);
 * ```
 */
export async function backChannelFetch(
  url: string,
  init: RequestInit,
  failure: SocialAuthErrorCode,
  timeoutMs: number,
): Promise<BackChannelAnswer> {
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    // No answer at all (refused connection, DNS, timeout): the one case a retry may mend.
    throw new SocialAuthError(failure, 'The provider could not be reached', {
      cause: err,
      reason: 'provider_unreachable',
    });
  }
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel().catch(() => undefined);
    throw redirectRefused(failure, res.status);
  }
  try {
    return { status: res.status, text: await readCapped(res) };
  } catch (err) {
    if (err instanceof SocialAuthError) {
      throw new SocialAuthError(failure, err.message, { cause: err.cause });
    }
    throw new SocialAuthError(failure, 'The provider’s answer could not be read', { cause: err });
  }
}

/** The typed error for a provider answering a back-channel request with a redirect. */
export function redirectRefused(failure: SocialAuthErrorCode, status: number): SocialAuthError {
  return new SocialAuthError(
    failure,
    `The provider answered ${status}, a redirect; back-channel requests never follow one`,
    { cause: new Error(`redirect refused (HTTP ${status})`) },
  );
}

/** The typed error for a provider answer past {@link MAX_PROVIDER_RESPONSE_BYTES}. */
export function tooLarge(failure: SocialAuthErrorCode): SocialAuthError {
  return new SocialAuthError(
    failure,
    `The provider’s answer exceeded ${MAX_PROVIDER_RESPONSE_BYTES} bytes; it was not read further`,
    { cause: new Error('response too large') },
  );
}

/**
 * Reads a response body as UTF-8 text, at most `limit` bytes: a `Content-Length` past it is
 * refused before a byte is read, and a body that grows past it is cancelled (the connection is
 * closed), so the rest is never buffered. Throws `provider_error` (callers substitute their code).
 */
export async function readCapped(
  res: Response,
  limit = MAX_PROVIDER_RESPONSE_BYTES,
): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge('provider_error');
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge('provider_error');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
