import type { Response } from 'express';
import { sendJson } from './http';
import {
  SIGNATURE_FAULTS,
  resignIdToken,
  type IdTokenSignatureFault,
  type SigningKey,
} from './keys';
import type { EmulatorEndpoint, ProviderName } from './types';

/**
 * A failure {@link Emulator.failNext} makes an endpoint answer once, instead of its real answer:
 * - `status`: that HTTP status with `body` (default empty). The Content-Type is `contentType`
 *   when given, else JSON when `body` parses as JSON, else plain text.
 * - `malformed-json`: 200 with a JSON Content-Type and a truncated body no JSON parser accepts.
 * - `delay`: holds the request `ms` milliseconds, then answers normally; a request whose client
 *   has gone by then is dropped, and {@link Emulator.stop} drops every held request at once.
 * - `error-200`: `body` as JSON with HTTP 200, the way Naver reports errors.
 * - `oauth-error`: an RFC 6749 §5.2 error body `{"error"}` with `error_description` only when
 *   `description` is given (it is optional there, and some providers leave it out), with
 *   `status` (default 400; 5xx and 200 happen too).
 * - `redirect`: `status` (301, 302, 303, 307 or 308) with `Location: location`, to test that a
 *   client never follows a back-channel redirect (307/308 would re-send its secret and token).
 * - `oversized`: 200 with a JSON Content-Type and `bytes` bytes of body, written in 64 KiB chunks
 *   a millisecond apart (so a client that stops reading stops the stream), with a Content-Length
 *   only when `declareLength` is true. `onClose` gets the body bytes written when the response
 *   ends or the client hangs up.
 *
 * The kinds below let the endpoint answer as usual and then change its answer, for the OpenID
 * Foundation's relying-party conformance cases (what a client must refuse, or must accept):
 * - `rewrite-json`: top-level members of the JSON answer replaced or added by `set`, removed
 *   where `set` gives `undefined` (the token response's `token_type` or `expires_in`, userinfo's
 *   `sub`, the discovery document's `issuer` or `authorization_response_iss_parameter_supported`).
 *   The body is re-serialised, so a number beyond 2^53 loses precision: not for Kakao's ids.
 * - `rewrite-redirect` (endpoint `consent`): the redirect back to the client with its query
 *   parameters replaced, added or (`undefined`) removed: a wrong `state` or RFC 9207 `iss`.
 * - `id-token-signature` (endpoint `token`): the answer's ID token re-signed as
 *   {@link IdTokenSignatureFault} says (`alg: none`, a bad RS256 signature, HS256 keyed with the
 *   client secret, no `kid`, PS256 instead of RS256), its claims unchanged.
 * - `jwks-decoy-key` (endpoint `jwks`): the key set with a second RS256 key the emulator never
 *   signs with, so a token without `kid` matches two keys.
 *
 * @example
 * ```ts
 * emulator.failNext('kakao', 'token', { kind: 'status', status: 503, body: 'Service Unavailable' });
 * emulator.failNext('naver', 'userinfo', { kind: 'malformed-json' });
 * emulator.failNext('google', 'token', { kind: 'delay', ms: 5_000 });
 * emulator.failNext('naver', 'token', { kind: 'error-200', body: { error: 'server_error' } });
 * emulator.failNext('google', 'token', { kind: 'oauth-error', status: 503, error: 'server_error' });
 * emulator.failNext('google', 'token', { kind: 'redirect', status: 307, location: 'http://127.0.0.1:9/token' });
 * emulator.failNext('naver', 'userinfo', { kind: 'oversized', bytes: 8 << 20, onClose: (n) => (sent = n) });
 * emulator.failNext('google', 'token', { kind: 'rewrite-json', set: { token_type: 'bearer' } });
 * emulator.failNext('google', 'consent', { kind: 'rewrite-redirect', set: { iss: 'https://evil.example' } });
 * emulator.failNext('google', 'token', { kind: 'id-token-signature', signature: 'none' });
 * emulator.failNext('google', 'jwks', { kind: 'jwks-decoy-key' });
 * ```
 */
export type Fault =
  | { kind: 'status'; status: number; body?: string; contentType?: string }
  | { kind: 'malformed-json' }
  | { kind: 'delay'; ms: number }
  | { kind: 'error-200'; body: Record<string, unknown> }
  | { kind: 'oauth-error'; error: string; description?: string; status?: number }
  | { kind: 'redirect'; status: 301 | 302 | 303 | 307 | 308; location: string }
  | {
      kind: 'oversized';
      bytes: number;
      declareLength?: boolean;
      onClose?: (bytesWritten: number) => void;
    }
  | { kind: 'rewrite-json'; set: Readonly<Record<string, unknown>> }
  | { kind: 'rewrite-redirect'; set: Readonly<Record<string, string | undefined>> }
  | { kind: 'id-token-signature'; signature: IdTokenSignatureFault }
  | { kind: 'jwks-decoy-key' };

/** What the rewriting faults need from the emulator: its key, and a client's secret. */
export interface RewriteContext {
  readonly key: SigningKey;
  secretOf(provider: ProviderName, clientId: string): string | undefined;
}

// Faults that only make sense at one endpoint.
const ONLY_AT: Partial<Record<Fault['kind'], EmulatorEndpoint>> = {
  'rewrite-redirect': 'consent',
  'id-token-signature': 'token',
  'jwks-decoy-key': 'jwks',
};

// Cut inside a string value, so no lenient parser can accept it either.
const TRUNCATED_JSON = '{"access_token":"AAAAO0TRUNCATED';

const MAX_DELAY_MS = 2 ** 31 - 1;
const OVERSIZED_CHUNK = 64 * 1024;

/** Per-endpoint FIFO queues of faults, and the timers of requests held by `delay`. */
export class FaultQueue {
  private readonly queues = new Map<string, Fault[]>();
  private readonly held = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly serves: (provider: ProviderName, endpoint: EmulatorEndpoint) => boolean,
    private readonly rewrite?: RewriteContext,
  ) {}

  push(provider: ProviderName, endpoint: EmulatorEndpoint, fault: Fault): void {
    if (!this.serves(provider, endpoint)) {
      throw new TypeError(`${provider} has no ${String(endpoint)} endpoint`);
    }
    check(fault);
    const only = ONLY_AT[fault.kind];
    if (only !== undefined && only !== endpoint) {
      throw new TypeError(`a ${fault.kind} fault applies to the ${only} endpoint only`);
    }
    const name = `${provider}:${endpoint}`;
    const queue = this.queues.get(name) ?? [];
    queue.push(Object.freeze({ ...fault }));
    this.queues.set(name, queue);
  }

  clear(): void {
    this.queues.clear();
  }

  /**
   * Answers with the next queued fault for the endpoint, if any; otherwise (and after a `delay`)
   * lets the request `proceed` to its real handler.
   */
  apply(
    provider: ProviderName,
    endpoint: EmulatorEndpoint,
    res: Response,
    proceed: () => void,
  ): void {
    const fault = this.queues.get(`${provider}:${endpoint}`)?.shift();
    if (!fault) return proceed();
    switch (fault.kind) {
      case 'status':
        res.status(fault.status).set({
          'Content-Type': fault.contentType ?? contentTypeOf(fault.body ?? ''),
          'Cache-Control': 'no-store',
        });
        return void res.send(fault.body ?? '');
      case 'malformed-json':
        res.status(200).set({ 'Content-Type': 'application/json; charset=utf-8' });
        return void res.send(TRUNCATED_JSON);
      case 'error-200':
        return sendJson(res, 200, fault.body);
      case 'oauth-error':
        return sendJson(res, fault.status ?? 400, {
          error: fault.error,
          ...(fault.description !== undefined && { error_description: fault.description }),
        });
      case 'delay':
        return this.hold(fault.ms, res, proceed);
      case 'redirect':
        res.status(fault.status).set({ Location: fault.location, 'Cache-Control': 'no-store' });
        return void res.end();
      case 'oversized':
        return this.stream(fault, res);
      case 'rewrite-json':
        onSend(res, (body) => rewriteJson(body, (json) => ({ ...json, ...fault.set })));
        return proceed();
      case 'rewrite-redirect':
        onLocation(res, (location) => withQuery(location, fault.set));
        return proceed();
      case 'id-token-signature':
        onSend(res, (body) =>
          rewriteJson(body, (json) => this.resign(provider, json, fault.signature)),
        );
        return proceed();
      case 'jwks-decoy-key':
        if (!this.rewrite) return proceed();
        return void this.rewrite.key.jwksWithDecoy().then(
          (jwks) => sendJson(res, 200, jwks),
          () => res.destroy(),
        );
    }
  }

  private resign(
    provider: ProviderName,
    json: Record<string, unknown>,
    signature: IdTokenSignatureFault,
  ): Record<string, unknown> {
    const { id_token: idToken } = json;
    if (typeof idToken !== 'string' || !this.rewrite) return json;
    const aud = audienceOf(idToken);
    const secret = (aud && this.rewrite.secretOf(provider, aud)) ?? '';
    return { ...json, id_token: resignIdToken(idToken, signature, this.rewrite.key, secret) };
  }

  /** Stops every held request: they are never answered (their sockets close with the server). */
  stop(): void {
    this.stopped = true;
    for (const timer of this.held) clearTimeout(timer);
    this.held.clear();
  }

  private stream(fault: Extract<Fault, { kind: 'oversized' }>, res: Response): void {
    res.status(200).set({ 'Content-Type': 'application/json; charset=utf-8' });
    if (fault.declareLength) res.set('Content-Length', String(fault.bytes));
    // A JSON string that never closes: whatever a client reads of it, it is no document.
    const chunk = Buffer.alloc(OVERSIZED_CHUNK, 'a');
    chunk.write('{"padding":"');
    let written = 0;
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      if (timer) clearTimeout(timer);
      this.held.delete(timer!);
      res.off('close', done);
      fault.onClose?.(written);
    };
    const next = () => {
      this.held.delete(timer!);
      if (this.stopped || res.destroyed) return done();
      const size = Math.min(OVERSIZED_CHUNK, fault.bytes - written);
      written += size;
      res.write(size === OVERSIZED_CHUNK ? chunk : chunk.subarray(0, size));
      if (written >= fault.bytes) {
        res.off('close', done);
        res.end(() => fault.onClose?.(written));
        return;
      }
      timer = setTimeout(next, 1);
      this.held.add(timer);
    };
    res.once('close', done);
    next();
  }

  private hold(ms: number, res: Response, proceed: () => void): void {
    if (this.stopped) return void res.destroy();
    // 'close' before the response is written means the client went away: drop the request
    // rather than run its handler (which could, say, consume a code nobody will receive).
    const onClose = () => {
      clearTimeout(timer);
      this.held.delete(timer);
    };
    const timer = setTimeout(() => {
      this.held.delete(timer);
      res.off('close', onClose);
      if (!res.destroyed && !res.writableEnded) proceed();
    }, ms);
    this.held.add(timer);
    res.once('close', onClose);
  }
}

/** Changes the next body `res.send` writes (res.json ends in res.send too), once. */
function onSend(res: Response, change: (body: unknown) => unknown): void {
  const send = res.send;
  res.send = function (this: Response, body?: unknown) {
    res.send = send;
    return send.call(this, change(body));
  } as Response['send'];
}

/** Changes the `Location` header the handler sets, once. */
function onLocation(res: Response, change: (location: string) => string): void {
  const setHeader = res.setHeader;
  res.setHeader = function (this: Response, name: string, value: number | string | string[]) {
    if (name.toLowerCase() !== 'location' || typeof value !== 'string') {
      return setHeader.call(this, name, value);
    }
    res.setHeader = setHeader;
    return setHeader.call(this, name, change(value));
  } as Response['setHeader'];
}

/** The JSON object in `body` changed by `change`, and the members it set to undefined dropped. */
function rewriteJson(
  body: unknown,
  change: (json: Record<string, unknown>) => Record<string, unknown>,
): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  if (typeof text !== 'string') return body;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return body;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return body;
  return JSON.stringify(change(json as Record<string, unknown>), null, 2);
}

function withQuery(location: string, set: Readonly<Record<string, string | undefined>>): string {
  const url = new URL(location);
  for (const [name, value] of Object.entries(set)) {
    if (value === undefined) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  return url.href;
}

/** The ID token's `aud` (its first, when several): whose client secret an HS256 key is. */
function audienceOf(jwt: string): string | undefined {
  try {
    const { aud } = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as {
      aud?: unknown;
    };
    const first: unknown = Array.isArray(aud) ? aud[0] : aud;
    return typeof first === 'string' ? first : undefined;
  } catch {
    return undefined;
  }
}

function contentTypeOf(body: string): string {
  try {
    JSON.parse(body);
    return 'application/json; charset=utf-8';
  } catch {
    return 'text/plain; charset=utf-8';
  }
}

/** Throws a TypeError naming what is wrong with a fault given from (possibly untyped) test code. */
function check(fault: Fault): void {
  const kind: unknown = (fault as { kind?: unknown } | null)?.kind;
  if (kind === 'status') {
    const { status, body, contentType } = fault as Extract<Fault, { kind: 'status' }>;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new TypeError('fault.status must be an integer from 200 to 599');
    }
    if (body !== undefined && typeof body !== 'string') {
      throw new TypeError('fault.body must be a string');
    }
    if (contentType !== undefined && typeof contentType !== 'string') {
      throw new TypeError('fault.contentType must be a string');
    }
  } else if (kind === 'delay') {
    const { ms } = fault as Extract<Fault, { kind: 'delay' }>;
    // setTimeout fires at once for anything above 2^31 - 1 ms.
    if (typeof ms !== 'number' || !(ms >= 0 && ms <= MAX_DELAY_MS)) {
      throw new TypeError(`fault.ms must be a number of milliseconds from 0 to ${MAX_DELAY_MS}`);
    }
  } else if (kind === 'error-200') {
    const { body } = fault as Extract<Fault, { kind: 'error-200' }>;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new TypeError('fault.body must be an object');
    }
  } else if (kind === 'oauth-error') {
    const { error, description, status } = fault as Extract<Fault, { kind: 'oauth-error' }>;
    if (typeof error !== 'string') throw new TypeError('fault.error must be a string');
    if (description !== undefined && typeof description !== 'string') {
      throw new TypeError('fault.description must be a string');
    }
    if (status !== undefined && (!Number.isInteger(status) || status < 200 || status > 599)) {
      throw new TypeError('fault.status must be an integer from 200 to 599');
    }
  } else if (kind === 'redirect') {
    const { status, location } = fault as Extract<Fault, { kind: 'redirect' }>;
    if (![301, 302, 303, 307, 308].includes(status)) {
      throw new TypeError('fault.status must be 301, 302, 303, 307 or 308');
    }
    if (typeof location !== 'string') throw new TypeError('fault.location must be a string');
  } else if (kind === 'oversized') {
    const { bytes, onClose } = fault as Extract<Fault, { kind: 'oversized' }>;
    if (!Number.isSafeInteger(bytes) || bytes < 1) {
      throw new TypeError('fault.bytes must be a positive integer');
    }
    if (onClose !== undefined && typeof onClose !== 'function') {
      throw new TypeError('fault.onClose must be a function');
    }
  } else if (kind === 'rewrite-json' || kind === 'rewrite-redirect') {
    const { set } = fault as Extract<Fault, { kind: 'rewrite-json' }>;
    if (typeof set !== 'object' || set === null || Array.isArray(set)) {
      throw new TypeError('fault.set must be an object');
    }
    if (
      kind === 'rewrite-redirect' &&
      !Object.values(set).every((v) => v === undefined || typeof v === 'string')
    ) {
      throw new TypeError('fault.set values must be strings or undefined');
    }
  } else if (kind === 'id-token-signature') {
    const { signature } = fault as Extract<Fault, { kind: 'id-token-signature' }>;
    if (!SIGNATURE_FAULTS.includes(signature)) {
      throw new TypeError(`fault.signature must be one of ${SIGNATURE_FAULTS.join(', ')}`);
    }
  } else if (kind !== 'malformed-json' && kind !== 'jwks-decoy-key') {
    throw new TypeError(
      "fault.kind must be 'status', 'malformed-json', 'delay', 'error-200', 'oauth-error', " +
        "'redirect', 'oversized', 'rewrite-json', 'rewrite-redirect', 'id-token-signature' or " +
        "'jwks-decoy-key'",
    );
  }
}
