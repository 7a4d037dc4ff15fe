// Issue 17, item 2 (SECURITY.md "Revocation": nothing alive leaves a list that revocation depends
// on). The session index used to keep a user's 50 newest sessions and drop older entries without
// ending them: after 51 sign-ins the first session survived every sign-out. Here one user signs
// in 200 times with the Kakao SDK (as an app that signs in at every launch would), then each of
// the five revocation paths must leave none of the 200 alive, with sessions in memory, on one
// redis-server and on a Redis Cluster.
import express from 'express';
import supertest from 'supertest';
import { DEFAULT_CLIENTS, type Emulator } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import { memoryAccounts, redisSession, type SocialAuthRedisStore } from '../src';
import { MAX_SESSIONS_PER_USER } from '../src/session/user-sessions';
import {
  USERS,
  connect,
  disconnect,
  consent,
  start,
  startHarness,
  type Harness,
  startRedisCluster,
  type RedisCluster,
  startRedis,
  type RedisServer,
} from '@socialauth/testkit';

jest.setTimeout(180_000);

const SIGN_INS = 200;
const KAKAO = USERS.kakao[0]!.id;
const GOOGLE = USERS.google[0]!.sub;
const { adminKey, appId } = DEFAULT_CLIENTS.kakao;

let redis: RedisServer;
let cluster: RedisCluster;
beforeAll(async () => {
  [redis, cluster] = await Promise.all([startRedis(), startRedisCluster()]);
});
afterAll(async () => {
  await redis?.stop();
  await cluster?.stop();
});

type Kind = 'memory' | 'redis' | 'cluster';
const stores: Record<Kind, () => SocialAuthRedisStore | undefined> = {
  memory: () => undefined,
  redis: () => redisSession({ url: redis.url }),
  cluster: () => redisSession({ cluster: cluster.nodes }),
};

/** Runs `task` over `items`, `width` at a time (a loaded 2-core machine, one event loop). */
async function inBatches<T, R>(items: T[], width: number, task: (item: T) => Promise<R>) {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) {
    out.push(...(await Promise.all(items.slice(i, i + width).map(task))));
  }
  return out;
}

describe.each(['memory', 'redis', 'cluster'] as const)('sessions in %s', (kind) => {
  let h: Harness;
  let store: SocialAuthRedisStore | undefined;
  let app: express.Express;
  /** The app, with `maxSessionsPerUser` when given. */
  async function setUp(maxSessionsPerUser?: number) {
    process.env.KAKAO_ADMIN_KEY = adminKey;
    process.env.KAKAO_APP_ID = appId;
    store = stores[kind]();
    app = express();
    h = await startHarness(
      (emulator: Emulator) => ({
        providers: [
          google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin }),
          kakao({ ...DEFAULT_CLIENTS.kakao, origin: emulator.origin }),
        ],
        accounts: memoryAccounts(),
        rateLimit: false,
        session: { ...(store && { store }), ...(maxSessionsPerUser && { maxSessionsPerUser }) },
      }),
      app,
      { users: USERS },
    );
    app.post('/app/sign-out-everywhere', async (req, res) => {
      res.json({ ended: await req.socialAuth.signOutEverywhere() });
    });
  }
  beforeEach(() => setUp());
  afterEach(async () => {
    delete process.env.KAKAO_ADMIN_KEY;
    delete process.env.KAKAO_APP_ID;
    await h.close();
    await store?.close();
  });

  /** App sign-ins of one Kakao user, each a session of its own (a bearer session token). */
  async function signIn200(count = SIGN_INS): Promise<{ tokens: string[]; userId: string }> {
    const accessToken = h.emulator.appAccessToken('kakao', {
      user: KAKAO,
      clientId: DEFAULT_CLIENTS.kakao.clientId,
    });
    const tokens: string[] = [];
    let userId = '';
    for (let i = 0; i < count; i += 1) {
      const res = await supertest(h.baseURL)
        .post('/auth/kakao/token')
        .set('Accept', 'application/json')
        .set('User-Agent', `App/${i}`)
        .send({ accessToken, session: 'token' })
        .expect(200);
      tokens.push(res.body.sessionToken as string);
      userId = res.body.user.id as string;
    }
    return { tokens, userId };
  }

  /** How many of these sessions still answer as signed in. */
  async function alive(tokens: string[]): Promise<number> {
    const statuses = await inBatches(tokens, 10, async (token) => {
      const res = await supertest(h.baseURL)
        .get('/auth/session')
        .set('Authorization', `Bearer ${token}`);
      return res.status;
    });
    expect(statuses.every((s) => s === 200 || s === 401)).toBe(true);
    return statuses.filter((s) => s === 200).length;
  }

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  async function csrfFor(token: string): Promise<string> {
    const res = await supertest(h.baseURL).get('/auth/csrf').set(bearer(token)).expect(200);
    return res.body.csrfToken as string;
  }

  test('200 sign-ins: all 200 live and listed (the default cap is 1000)', async () => {
    expect(MAX_SESSIONS_PER_USER).toBe(1000);
    const { tokens } = await signIn200();
    expect(await alive(tokens)).toBe(SIGN_INS);
    const listed = await supertest(h.baseURL)
      .get('/auth/sessions')
      .set(bearer(tokens.at(-1)!))
      .expect(200);
    expect(listed.body.sessions).toHaveLength(SIGN_INS);
  });

  test('past maxSessionsPerUser, the oldest sessions are signed out, never only forgotten', async () => {
    await h.close();
    await store?.close();
    await setUp(5);
    const { tokens, userId } = await signIn200(8);
    // The newest 5 live; the 3 before them were ended by the sign-ins that pushed them out.
    expect(await alive(tokens.slice(-5))).toBe(5);
    expect(await alive(tokens.slice(0, 3))).toBe(0);
    expect(await h.auth.endSessions(userId)).toBe(5);
    expect(await alive(tokens)).toBe(0);
  });

  test('POST /auth/logout/everywhere ends all 200', async () => {
    const { tokens } = await signIn200();
    const last = tokens.at(-1)!;
    await supertest(h.baseURL)
      .post('/auth/logout/everywhere')
      .set(bearer(last))
      .set('X-CSRF-Token', await csrfFor(last))
      .set('Accept', 'application/json')
      .expect(204);
    expect(await alive(tokens)).toBe(0);
  });

  test('req.socialAuth.signOutEverywhere() ends all 200', async () => {
    const { tokens } = await signIn200();
    const res = await supertest(h.baseURL)
      .post('/app/sign-out-everywhere')
      .set(bearer(tokens.at(-1)!))
      .expect(200);
    expect(res.body.ended).toBe(SIGN_INS);
    expect(await alive(tokens)).toBe(0);
  });

  test('auth.endSessions(userId) ends all 200', async () => {
    const { tokens, userId } = await signIn200();
    expect(await h.auth.endSessions(userId)).toBe(SIGN_INS);
    expect(await alive(tokens)).toBe(0);
  });

  test('disconnecting the identity they signed in with ends all 200', async () => {
    // A browser signed in with Google that connects the Kakao account: one user, two identities.
    const browser = supertest.agent(h.baseURL);
    await browser.get(await consent(await start(browser, 'google'), { user: GOOGLE }));
    expect((await connect(h, 'kakao', KAKAO, browser)).status).toBe(302);
    const { tokens } = await signIn200();
    expect((await disconnect(h, 'kakao', browser)).status).toBe(200);
    expect(await alive(tokens)).toBe(0);
    await browser.get('/auth/session').expect(200); // the one that disconnected stays
  });

  test('Kakao’s unlink webhook ends all 200', async () => {
    const { tokens } = await signIn200();
    const to = `${h.baseURL}/auth/kakao/webhook`;
    expect(await h.emulator.sendUnlink('kakao', { to, user: KAKAO })).toEqual({ status: 200 });
    expect(await alive(tokens)).toBe(0);
  });
});
