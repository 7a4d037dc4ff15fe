import express from 'express';
import session from 'express-session';
import supertest from 'supertest';
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { socialAuth } from '../src';
import { sessionToken } from '../src/session/bearer';

// socialauth's session cycle (session-layer.ts) keeps express-session's rules over the Store
// API: an unchanged session is read, never written, and gets no new cookie; a changed one is
// written once and its cookie sent again; a cookie signed with an older secret still works.
class CountingStore extends session.MemoryStore {
  sets = 0;
  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    this.sets += 1;
    super.set(sid, data, callback);
  }
}

const OLD = 'an-older-session-secret-0123456789abcdef';
const NEW = 'the-newest-session-secret-0123456789abcdef';

function app(store: CountingStore) {
  const a = express();
  a.use(
    socialAuth({
      baseURL: 'http://localhost:3000',
      secret: [NEW, OLD],
      providers: [google({ ...DEFAULT_CLIENTS.google, origin: 'http://127.0.0.1:9' })],
      session: { store },
      logger: false,
      rateLimit: false,
    }),
  );
  a.get('/read', (req, res) => res.json({ sid: req.sessionID, n: req.session.n ?? null }));
  a.get('/write', (req, res) => {
    req.session.n = (req.session.n ?? 0) + 1;
    res.json({ sid: req.sessionID });
  });
  a.get('/save-then-answer', (req, res, next) => {
    req.session.n = 42;
    req.session.save((err) => (err ? next(err) : res.json({ sid: req.sessionID })));
  });
  return a;
}

declare module 'express-session' {
  interface SessionData {
    n?: number;
  }
}

test('unchanged: no write, no cookie; changed: one write and the cookie again', async () => {
  const store = new CountingStore();
  const agent = supertest.agent(app(store));

  const anonymous = await agent.get('/read').expect(200);
  expect(anonymous.headers['set-cookie']).toBeUndefined();
  expect(store.sets).toBe(0);

  const first = await agent.get('/write').expect(200);
  expect(first.headers['set-cookie']?.[0]).toMatch(/^socialauth\.sid=s%3A/);
  expect(store.sets).toBe(1);

  const read = await agent.get('/read').expect(200);
  expect(read.body).toEqual({ sid: first.body.sid, n: 1 });
  expect(read.headers['set-cookie']).toBeUndefined();
  expect(store.sets).toBe(1);

  const second = await agent.get('/write').expect(200);
  expect(second.body.sid).toBe(first.body.sid);
  expect(second.headers['set-cookie']).toHaveLength(1);
  expect(store.sets).toBe(2);

  // Saved by the route, unchanged afterwards: not written again at the end.
  await agent.get('/save-then-answer').expect(200);
  expect(store.sets).toBe(3);
});

test('a cookie signed with an older secret still names its session; a forged one does not', async () => {
  const store = new CountingStore();
  const server = app(store);
  const { body } = await supertest(server).get('/write').expect(200);
  const sid = body.sid as string;
  const cookie = (secret: string) =>
    `socialauth.sid=${encodeURIComponent(sessionToken(sid, secret))}`;

  const rotated = await supertest(server).get('/read').set('Cookie', cookie(OLD)).expect(200);
  expect(rotated.body).toEqual({ sid, n: 1 });

  const forged = await supertest(server)
    .get('/read')
    .set('Cookie', cookie('not-a-secret-of-this-app-0123456789abcdef'))
    .expect(200);
  expect(forged.body.sid).not.toBe(sid);
  expect(forged.body.n).toBeNull();
});
