// Issue 9, finding 2 (OWASP Session Management: session listing and revocation, as better-auth
// and allauth offer): each user's sessions are indexed in the session store's Redis (or memory),
// so that disconnecting an identity ends the sessions that signed in through it, "sign out
// everywhere" ends them all, an app deleting an account can end them, and a user can list them.
// None of it costs an authenticated request a store command (redis-touch.test.ts pins that).
import supertest from 'supertest';
import { memoryAccounts, redisAccounts, redisSession, type AccountStore } from '../src';
import {
  USERS,
  connect,
  disconnect,
  me,
  signInAs,
  startAccountsHarness,
  type AccountsHarness,
  csrfToken,
  startRedis,
  type RedisServer,
} from '@socialauth/testkit';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

const GOOGLE = USERS.google[0]!.sub;
const KAKAO = USERS.kakao[0]!.id;

describe.each(['memory', 'redis'] as const)('%s stores', (kind) => {
  let h: AccountsHarness;
  let accounts: AccountStore;
  let store: ReturnType<typeof redisSession> | undefined;
  let prefix = 0;
  beforeEach(async () => {
    prefix += 1;
    accounts =
      kind === 'redis'
        ? redisAccounts({ url: redis.url, prefix: `t${prefix}:` })
        : memoryAccounts();
    store = kind === 'redis' ? redisSession({ url: redis.url }) : undefined;
    h = await startAccountsHarness(accounts, store ? { session: { store } } : {});
  });
  afterEach(async () => {
    await h.close();
    await store?.close();
    await accounts.close?.();
  });

  /** A browser signed in as the shared Google user, with a User-Agent of its own. */
  async function browser(device: string) {
    const agent = supertest.agent(h.baseURL).set('User-Agent', device);
    expect(await signInAs(h, 'google', GOOGLE, agent)).toBe('/');
    return agent;
  }

  test('a user lists their sessions: device, times, the current one marked, no session ids', async () => {
    const laptop = await browser('Laptop/1.0');
    await browser('Phone/2.0');
    const res = await laptop.get('/auth/sessions').expect(200);
    const sessions = res.body.sessions as {
      id: string;
      current: boolean;
      device: string;
      provider: string;
      createdAt: string;
      lastSeenAt: string;
    }[];
    expect(sessions.map((s) => s.device).sort()).toEqual(['Laptop/1.0', 'Phone/2.0']);
    expect(sessions.filter((s) => s.current).map((s) => s.device)).toEqual(['Laptop/1.0']);
    for (const s of sessions) {
      expect(s.provider).toBe('google');
      expect(Date.parse(s.createdAt)).toBeGreaterThan(0);
      expect(Date.parse(s.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(s.createdAt));
    }
    // The handle is not the session id that the cookie carries.
    const cookie = decodeURIComponent(
      (await laptop.get('/auth/csrf')).headers['set-cookie']?.[0] ?? '',
    );
    const sid = /s:([^.]+)\./.exec(cookie)?.[1];
    expect(sid).toMatch(/^[\w-]{20,}$/);
    expect(JSON.stringify(res.body)).not.toContain(sid);
    await supertest(h.baseURL).get('/auth/sessions').expect(401);
  });

  test('sign out everywhere ends every session of the user, this one too', async () => {
    const laptop = await browser('Laptop/1.0');
    const phone = await browser('Phone/2.0');
    const other = supertest.agent(h.baseURL);
    expect(await signInAs(h, 'google', USERS.google[1]!.sub, other)).toBe('/');
    await laptop.post('/auth/logout/everywhere').set('Accept', 'application/json').expect(403);
    await laptop
      .post('/auth/logout/everywhere')
      .set('X-CSRF-Token', await csrfToken(laptop))
      .set('Accept', 'application/json')
      .expect(204);
    await laptop.get('/auth/session').expect(401);
    await phone.get('/auth/session').expect(401);
    await other.get('/auth/session').expect(200); // another user is untouched
  });

  test('disconnecting an identity ends the sessions that signed in through it', async () => {
    const laptop = await browser('Laptop/1.0');
    expect((await connect(h, 'kakao', KAKAO, laptop)).status).toBe(302);
    const viaKakao = supertest.agent(h.baseURL);
    expect(await signInAs(h, 'kakao', KAKAO, viaKakao)).toBe('/');
    const viaGoogle = await browser('Phone/2.0');
    expect((await me(viaKakao)).user?.id).toBe((await me(laptop)).user?.id);

    expect((await disconnect(h, 'kakao', laptop)).status).toBe(200);
    await viaKakao.get('/auth/session').expect(401);
    await viaGoogle.get('/auth/session').expect(200);
    await laptop.get('/auth/session').expect(200); // the one that disconnected stays
  });
});

test('endSessions(userId) ends a user’s sessions from outside their requests', async () => {
  const h = await startAccountsHarness(memoryAccounts(), {});
  try {
    const a = supertest.agent(h.baseURL);
    expect(await signInAs(h, 'google', GOOGLE, a)).toBe('/');
    const userId = (await me(a)).user!.id;
    const ended = await h.auth.endSessions(userId);
    expect(ended).toBe(1);
    await a.get('/auth/session').expect(401);
  } finally {
    await h.close();
  }
});
