import type { Response } from 'express';
import { sendJson } from './http';
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
 * @example
 * ```ts
 * emulator.failNext('kakao', 'token', { kind: 'status', status: 503, body: 'Service Unavailable' });
 * emulator.failNext('naver', 'userinfo', { kind: 'malformed-json' });
 * emulator.failNext('google', 'token', { kind: 'delay', ms: 5_000 });
 * emulator.failNext('naver', 'token', { kind: 'error-200', body: { error: 'server_error' } });
 * emulator.failNext('google', 'token', { kind: 'oauth-error', status: 503, error: 'server_error' });
 * emulator.failNext('google', 'token', { kind: 'redirect', status: 307, location: 'http://127.0.0.1:9/token' });
 * emulator.failNext('naver', 'userinfo', { kind: 'oversized', bytes: 8 << 20, onClose: (n) => (sent = n) });
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
  ) {}

  push(provider: ProviderName, endpoint: EmulatorEndpoint, fault: Fault): void {
    if (!this.serves(provider, endpoint)) {
      throw new TypeError(`${provider} has no ${String(endpoint)} endpoint`);
    }
    check(fault);
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
    }
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
  } else if (kind !== 'malformed-json') {
    throw new TypeError(
      "fault.kind must be 'status', 'malformed-json', 'delay', 'error-200', 'oauth-error', " +
        "'redirect' or 'oversized'",
    );
  }
}
