import express from 'express';
import session from 'express-session';
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { startHarness } from '@socialauth/testkit';

/** A memory store whose writes finish late: a slow network store, on demand. */
class SlowStore extends session.MemoryStore {
  readonly events: string[] = [];
  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    setTimeout(() => {
      super.set(sid, data, (err?: unknown) => {
        this.events.push('stored');
        callback?.(err);
      });
    }, 50);
  }
}

// With express-session's own end-of-response save this holds even without socialauth's explicit
// save; the failing-writes test below is the one that pins socialauth's part.
test('the session is stored before the redirect to the provider is sent (expressjs/session#360)', async () => {
  const store = new SlowStore();
  const h = await startHarness(
    (emulator) => ({
      providers: [google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin })],
      session: { store },
    }),
    express(),
  );
  try {
    const res = await h.agent.get('/auth/google');
    store.events.push('redirect received');
    expect(res.status).toBe(302);
    expect(store.events[0]).toBe('stored');
  } finally {
    await h.close();
  }
});

/**
 * A store whose writes fail while reads work: a fault no real store produces on demand, so a
 * subclass plays it. express-session alone would still send the 302 after a failed save; only
 * socialauth's own save before the redirect turns it into a 503.
 */
class FailingWrites extends session.MemoryStore {
  override set(_sid: string, _data: session.SessionData, callback?: (err?: unknown) => void): void {
    callback?.(new Error('write refused'));
  }
}

test('a state that cannot be stored never reaches the provider: 503, no Location, no cookie', async () => {
  const h = await startHarness(
    (emulator) => ({
      providers: [google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin })],
      session: { store: new FailingWrites() },
    }),
    express(),
  );
  try {
    const res = await h.agent.get('/auth/google').set('Accept', 'application/json');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body.error.code).toBe('session_unavailable');
  } finally {
    await h.close();
  }
});

test('requireAuth with a login path sends browsers there with next', async () => {
  const app = express();
  const h = await startHarness(() => ({}), app);
  const { requireAuth } = await import('../src');
  app.get('/account', requireAuth({ loginPath: '/login' }), (_req, res) => {
    res.send('ok');
  });
  try {
    const res = await h.agent.get('/account?tab=1').set('Accept', 'text/html').expect(302);
    expect(res.headers.location).toBe('/login?next=%2Faccount%3Ftab%3D1');
    const api = await h.agent.get('/account').set('Accept', 'application/json').expect(401);
    expect(api.body.error.code).toBe('unauthenticated');
  } finally {
    await h.close();
  }
});
