// An app that mounts express-session itself: socialauth uses that session, not a second one.
import express from 'express';
import session from 'express-session';
import { SECRET, signIn, startHarness } from '@socialauth/testkit';

test("socialauth uses the app's own express-session", async () => {
  const app = express();
  const store = new session.MemoryStore();
  app.use(
    session({
      name: 'app.sid',
      store,
      secret: SECRET,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );
  const h = await startHarness(() => ({}), app);
  try {
    const res = await signIn(h, { next: '/own' });
    expect(res.headers.location).toBe('/own');
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cookies.some((c) => c.startsWith('app.sid='))).toBe(true);
    expect(cookies.some((c) => c.startsWith('socialauth.sid='))).toBe(false);
    // The user lives in the app's store, not in socialauth's own.
    const stored = Object.values(
      (store as unknown as { sessions: Record<string, string> }).sessions,
    );
    expect(stored.some((s) => s.includes('"user"'))).toBe(true);
    expect(Object.keys((h.store as unknown as { sessions: object }).sessions)).toHaveLength(0);
    await h.agent.get('/auth/session').expect(200);
  } finally {
    await h.close();
  }
});
