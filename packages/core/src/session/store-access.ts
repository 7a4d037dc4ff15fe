import type { SessionData, Store } from 'express-session';
import type { IndexedSession } from './user-sessions';

/**
 * The session store as the flows see it: end sessions, read one. It is the store socialauth
 * mounted, or the app's own once a request has shown it (`req.sessionStore` of an app that
 * mounts express-session itself), so code outside a request (an admin's `endSessions`) reaches
 * the store the sessions are really in.
 */
export class SessionStoreAccess {
  constructor(private store: Store) {}

  /** Called on every request: an assignment, nothing more (the per-request path stays lean). */
  use(store: Store | undefined): void {
    if (store) this.store = store;
  }

  /** Deletes sessions from the store: their cookies then lead nowhere. */
  async end(sessions: readonly IndexedSession[]): Promise<void> {
    const { store } = this;
    await Promise.all(
      sessions.map(
        (s) =>
          new Promise<void>((resolve, reject) =>
            store.destroy(s.sid, (err?: unknown) => (err ? reject(err) : resolve())),
          ),
      ),
    );
  }

  /** One session's data, or nothing when it ended or expired. */
  read(sid: string): Promise<SessionData | null | undefined> {
    return new Promise((resolve, reject) =>
      this.store.get(sid, (err: unknown, data) => (err ? reject(err) : resolve(data))),
    );
  }
}
