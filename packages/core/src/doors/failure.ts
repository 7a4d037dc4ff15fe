import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../config';
import {
  ERROR_CODES,
  SocialAuthError,
  asSocialAuthError,
  type SocialAuthErrorCode,
} from '../errors';

/** Turns a failure into the response: error page redirect, page or JSON. Never throws. */
export type FailureHandler = (req: Request, res: Response, err: SocialAuthError) => void;

/**
 * Wraps the failure response so that it cannot throw: if building the page or redirect fails
 * (a bug, or a response already half sent), the request still ends with the error's own status
 * and a fixed text, and the bug is logged. Every route of socialauth ends its failures here, so
 * no input can turn into an unhandled rejection (which ends a Node process) or Express's default
 * 500 page with a stack trace.
 */
export function failSafely(respond: FailureHandler, logger: Logger): FailureHandler {
  return (req, res, err) => {
    try {
      respond(req, res, err);
    } catch (bug) {
      lastResort(res, err, bug, logger);
    }
  };
}

function lastResort(res: Response, err: SocialAuthError, bug: unknown, logger: Logger): void {
  try {
    logger.error(`[socialauth] the failure response itself failed: ${describe(bug)}`);
  } catch {
    // A logger that throws must not take the response down with it.
  }
  try {
    if (res.headersSent) {
      res.end();
      return;
    }
    const status = Number.isInteger(err?.status) ? err.status : 502;
    res.statusCode = status;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    const known = err instanceof SocialAuthError ? ERROR_CODES[err.code] : undefined;
    res.end(known?.message ?? 'Sign-in did not complete.');
  } catch {
    // The socket is gone: there is nobody left to answer.
  }
}

/**
 * A route handler whose throw or rejection, whatever it is, reaches `fail` as a
 * SocialAuthError (`fallback` when it is not one already). Express 4 ignores rejected promises
 * and Express 5 would answer them with its own 500: neither may see one of ours.
 */
export function route(
  fail: FailureHandler,
  fallback: SocialAuthErrorCode,
  handler: (req: Request, res: Response, next: NextFunction) => unknown,
): RequestHandler {
  return (req, res, next) => {
    const failed = (err: unknown) => fail(req, res, asSocialAuthError(err, fallback));
    try {
      const result = handler(req, res, next);
      if (result instanceof Promise) result.then(undefined, failed);
    } catch (err) {
      failed(err);
    }
  };
}

/**
 * The last handler of socialauth's router: whatever reached `next(err)` inside it (a body that
 * did not parse, a middleware's error) is answered by `fail`, never by Express's default page.
 */
export function errorHandler(fail: FailureHandler): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const status = (err as { status?: unknown } | null)?.status;
    const clientError = typeof status === 'number' && status >= 400 && status < 500;
    fail(req, res, asSocialAuthError(err, clientError ? 'invalid_request' : 'session_unavailable'));
  };
}

/**
 * The messages along an error's cause chain (passport wraps as `oauthError`), for a log line.
 * Messages only, never `data` or bodies, which can hold what must not be logged. Any message
 * may be missing or not a string (passport-oauth2 sets `message` to a missing
 * `error_description`, which RFC 6749 §5.2 makes optional).
 */
export function describe(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  while (current instanceof Error && parts.length < 4) {
    const raw: unknown = current.message;
    // CWE-117: messages quote requests and providers (an `error` parameter, an
    // error_description): escaped, so none can end the log line or forge the next one.
    const message = logSafe(
      typeof raw === 'string' && raw !== '' ? raw.slice(0, 200) : String(current.name),
    );
    if (!parts.includes(message)) parts.push(message);
    current = current.cause ?? (current as { oauthError?: unknown }).oauthError;
  }
  if (parts.length === 0) {
    parts.push(typeof err === 'string' ? logSafe(err.slice(0, 200)) : typeof err);
  }
  return parts.join(' <- ');
}

// C0 controls, DEL, C1 controls (NEL and the 8-bit CSI among them), the Unicode line and
// paragraph separators, and the backslash that begins every escape.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_IN_LOG = /[\\\x00-\x1f\x7f-\x9f\u2028\u2029]/g;

/**
 * Text from a request or a provider, fit for one log line (CWE-117, OWASP Logging Cheat Sheet):
 * CR, LF and every other C0 or C1 control become `\xNN`, U+2028 and U+2029 `\uNNNN`, and `\`
 * becomes `\\`, so the escaping cannot be faked either. Nothing else changes.
 *
 * @example
 * ```ts
 * logSafe('invalid\r\nFAKE: entry'); // 'invalid\\x0d\\x0aFAKE: entry'
 * ```
 */
export function logSafe(text: string): string {
  return text.replace(UNSAFE_IN_LOG, (c) => {
    if (c === '\\') return '\\\\';
    const code = c.charCodeAt(0);
    return code > 0xff
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
