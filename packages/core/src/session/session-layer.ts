import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Session, SessionData, Store } from 'express-session';
import { sessionToken } from './bearer';

type AnySession = Session & Partial<SessionData>;
/** express-session sets `generate` on its store; Cookie has `serialize` (both untyped). */
type GeneratingStore = Store & { generate(req: Request): void };
type SerializingCookie = { serialize(name: string, value: string): string };

/** The session as change detection compares it: its data, not its cookie's moving expiry. */
export function sessionJSON(session: object): string {
  // A copy without the cookie rather than a replacer: JSON.stringify runs much faster without one.
  const { cookie: _cookie, ...data } = session as { cookie?: unknown };
  return JSON.stringify(data);
}

/** What each tracked session last stored: its id and data. */
const lastSaved = new WeakMap<object, { id: string; json: string }>();

/** Records that `session`, as it is now, is in the store (written by other means than save). */
export function markSaved(session: AnySession): void {
  lastSaved.set(session, { id: session.id, json: sessionJSON(session) });
}

/**
 * Makes `session.save` remember what it stored, and skip a save of the same data again (an
 * explicit save in a route, then the end of the response).
 */
export function trackSaves(session: AnySession): void {
  const storeSave = Object.getPrototypeOf(session).save as Session['save'];
  Object.defineProperty(session, 'save', {
    configurable: true,
    writable: true,
    enumerable: false,
    value(this: AnySession, callback?: (err?: unknown) => void) {
      const json = sessionJSON(this);
      const saved = lastSaved.get(this);
      if (saved?.id === this.id && saved.json === json) {
        callback?.();
        return this;
      }
      return storeSave.call(this, (err?: unknown) => {
        if (!err) lastSaved.set(this, { id: this.id, json });
        callback?.(err);
      });
    },
  });
}

/** The session id a signed cookie value (`s:<id>.<mac>`) names, under any of the secrets. */
function unsign(value: string, secrets: readonly string[]): string | undefined {
  if (!value.startsWith('s:')) return undefined;
  const dot = value.lastIndexOf('.');
  if (dot < 2) return undefined;
  const sid = value.slice(2, dot);
  const mac = Buffer.from(value.slice(dot + 1));
  for (const secret of secrets) {
    const expected = Buffer.from(
      createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, ''),
    );
    if (expected.length === mac.length && timingSafeEqual(expected, mac)) return sid;
  }
  return undefined;
}

/** The value of cookie `name` in a Cookie header, URL-decoded (undefined if absent or bad). */
function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * express-session's request cycle (`saveUninitialized: false`, `resave: false`, `rolling: false`,
 * `unset: 'keep'`) over the same `Store` API and the same `Session` and `Cookie` objects, with a
 * cheaper change detection: the session's JSON compared as text (one stringify when loaded, one
 * at the end), instead of a SHA-1 of it computed three times. express-session's own middleware
 * (`mw`) stays the template: its `store.generate` makes new sessions, so `regenerate` works.
 *
 * - a signed cookie (or bearer token) whose session the store has: that session;
 * - otherwise a new session, saved and sent as a cookie only once something is put in it;
 * - a changed session is saved before the response ends, and its cookie sent again (refreshed
 *   expiry; a new id after `regenerate`); an unchanged one costs the store its one read;
 * - a store error reaches `next(err)` before anything is sent (socialauth: 503, no cookie).
 */
export function sessionLayer(options: {
  name: string;
  secrets: readonly string[];
  store: Store;
}): (req: Request, res: Response, next: NextFunction) => void {
  const { name, secrets } = options;
  const store = options.store as GeneratingStore;
  return (req, res, next) => {
    (req as { sessionStore: Store }).sessionStore = store;
    const raw = readCookie(req.headers.cookie, name);
    const cookieId = raw === undefined ? undefined : unsign(raw, secrets);
    if (cookieId === undefined) {
      start(req, res, next, undefined);
      return next();
    }
    store.get(cookieId, (err: unknown, data?: SessionData | null) => {
      if (err) return next(err);
      try {
        if (data) {
          req.sessionID = cookieId;
          store.createSession(req, data);
        }
        start(req, res, next, data ? cookieId : undefined);
      } catch (failure) {
        return next(failure);
      }
      next();
    });
  };

  function start(req: Request, res: Response, next: NextFunction, loadedId: string | undefined) {
    if (loadedId === undefined) store.generate(req);
    trackSaves(req.session as AnySession);
    const loaded = { id: req.sessionID, json: sessionJSON(req.session) };
    let touched = false;
    /** Whether the session changed since it was loaded (touching it first, as express-session). */
    const changed = (): boolean => {
      const session = req.session as AnySession | undefined;
      if (!session) return false;
      if (!touched) {
        session.touch();
        touched = true;
      }
      return session.id !== loaded.id || sessionJSON(session) !== loaded.json;
    };
    let decided: boolean | undefined;

    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
      res.writeHead = writeHead;
      const session = req.session as AnySession | undefined;
      if (session && (decided ?? changed()) && !(session.cookie.secure && !req.secure)) {
        const value = sessionToken(req.sessionID, secrets[0]!);
        const cookie = (session.cookie as unknown as SerializingCookie).serialize(name, value);
        const previous = res.getHeader('Set-Cookie');
        const list = previous === undefined ? [] : Array.isArray(previous) ? previous : [previous];
        res.setHeader('Set-Cookie', [...list.map(String), cookie]);
      }
      return writeHead.apply(this, args);
    } as Response['writeHead'];

    const end = res.end;
    res.end = function (this: Response, ...args: unknown[]) {
      res.end = end;
      const finish = () => (end as (...a: unknown[]) => Response).apply(res, args);
      decided = changed();
      const session = req.session as AnySession | undefined;
      if (!session || !decided) return finish();
      session.save((err?: unknown) => {
        // As express-session: the answer goes out as the app made it; the error is reported.
        if (err) setImmediate(() => next(err));
        finish();
      });
      return res;
    } as Response['end'];
  }
}
