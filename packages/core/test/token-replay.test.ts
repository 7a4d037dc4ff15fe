// Issue 17, item 4: an app's ID token is accepted once (SECURITY.md "Token sign-in and
// webhooks"), atomically across instances, and the token route refuses a foreign or `null`
// Origin as every other POST route does (native apps send none). Before: one Google ID token
// posted 5 times gave 5 sessions, and `Origin: https://evil.example` or `null` got a session.
import type { Server } from 'node:http';
import express from 'express';
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import supertest from 'supertest';
import { redisSession, socialAuth } from '../src';
import {
  SECRET,
  listen,
  startHarness,
  type Harness,
  startRedis,
  type RedisServer,
} from '@socialauth/testkit';

const ANDROID = 'my-android-client-id';
const ALICE = '104834925480000000001';

let redis: RedisServer;
let h: Harness;
/** A second instance on the same Redis and the same emulator. */
let other: { server: Server; url: string };
let stores: ReturnType<typeof redisSession>[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());
beforeEach(async () => {
  stores = [redisSession({ url: redis.url }), redisSession({ url: redis.url })];
  const providers = (origin: string) => [
    google({ ...DEFAULT_CLIENTS.google, origin, appClientIds: [ANDROID] }),
  ];
  h = await startHarness((emulator) => ({
    providers: providers(emulator.origin),
    session: { store: stores[0]! },
  }));
  const app = express();
  other = await listen(app);
  app.use(
    socialAuth({
      baseURL: other.url,
      secret: SECRET,
      providers: providers(h.emulator.origin),
      session: { store: stores[1]! },
      logger: false,
      rateLimit: false,
    }),
  );
});
afterEach(async () => {
  await h.close();
  other.server.closeAllConnections();
  await new Promise((resolve) => other.server.close(resolve));
  for (const s of stores) await s.close();
});

const post = (base: string, body: object, headers: Record<string, string> = {}) =>
  supertest(base)
    .post('/auth/google/token')
    .set('Accept', 'application/json')
    .set(headers)
    .send(body);

test('one ID token posted five times signs in once; the replays are login_expired (token_used)', async () => {
  const idToken = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID });
  const statuses: number[] = [];
  const codes: string[] = [];
  for (let i = 0; i < 5; i += 1) {
    const res = await post(h.baseURL, { idToken });
    statuses.push(res.status);
    if (res.status !== 200) codes.push(`${res.body.error.code}/${res.body.error.reason}`);
    expect(res.headers['set-cookie'] === undefined).toBe(res.status !== 200);
  }
  expect(statuses).toEqual([200, 403, 403, 403, 403]);
  expect(new Set(codes)).toEqual(new Set(['login_expired/token_used']));
  // A new token for the same user signs in again.
  const fresh = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID });
  await post(h.baseURL, { idToken: fresh }).expect(200);
});

test('concurrent posts of one token to two instances: exactly one session', async () => {
  const idToken = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID });
  const replies = await Promise.all(
    Array.from({ length: 6 }, (_, i) => post(i % 2 ? h.baseURL : other.url, { idToken })),
  );
  expect(replies.map((r) => r.status).sort()).toEqual([200, 403, 403, 403, 403, 403]);
});

test('another spelling of the same signature (its unused trailing bits) is the same token', async () => {
  const idToken = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID });
  // An RS256 signature is 256 bytes: 342 base64url characters, the last carrying 4 unused bits.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(idToken.at(-1)!);
  const respelled = idToken.slice(0, -1) + alphabet[(last & 0b110000) | ((last + 1) & 0b1111)]!;
  expect(respelled).not.toBe(idToken);
  await post(h.baseURL, { idToken }).expect(200);
  const res = await post(h.baseURL, { idToken: respelled });
  expect([res.status, res.body.error?.reason]).toEqual([403, 'token_used']);
});

test('the nonce a token carries is spent with it, sent in the body or not', async () => {
  const nonce = 'app-nonce-claimed-0001';
  const first = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID, nonce });
  const second = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID, nonce });
  await post(h.baseURL, { idToken: first }).expect(200);
  const res = await post(h.baseURL, { idToken: second }).expect(403);
  expect(res.body.error.reason).toBe('token_used');
});

test('a nonce is spent with its token: a second token for the same nonce is refused', async () => {
  const nonce = 'app-nonce-0123456789';
  const first = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID, nonce });
  const second = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID, nonce });
  expect(second).not.toBe(first);
  await post(h.baseURL, { idToken: first, nonce }).expect(200);
  const res = await post(h.baseURL, { idToken: second, nonce }).expect(403);
  expect(res.body.error.reason).toBe('token_used');
});

test.each([['https://evil.example'], ['null']])(
  'Origin: %s is refused before the token is looked at',
  async (origin) => {
    const idToken = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID });
    const res = await post(h.baseURL, { idToken }, { Origin: origin }).expect(403);
    expect(res.body.error.code).toBe('csrf_failed');
    expect(res.headers['set-cookie']).toBeUndefined();
    // The token was not spent: the app itself (no Origin) still signs in with it.
    await post(h.baseURL, { idToken }).expect(200);
  },
);

test("this site's own Origin is accepted (a web page of the app using the SDK)", async () => {
  const idToken = await h.emulator.appIdToken('google', { user: ALICE, clientId: ANDROID });
  await post(h.baseURL, { idToken }, { Origin: new URL(h.baseURL).origin }).expect(200);
});
