import type { Server } from 'node:http';
import express from 'express';
import { DEFAULT_CLIENTS, startEmulator, type Emulator } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import {
  redisAccounts,
  redisSession,
  requireAuth,
  socialAuth,
  type AccountStore,
  type SocialAuthRedisStore,
} from '../src';
import { flowClaims } from '../src/flow/claims';
import { redisCoordination } from '../src/coordination';
import { SECRET, consent, listen, startRedisCluster, type RedisCluster } from '@socialauth/testkit';
import { call, sessionId, sidCookie, type Reply } from './instance-process';

// Issue 11: sessions, rate limits, the session index, flow claims and accounts on a real Redis
// Cluster of 3 primaries and 3 replicas (loopback, started here), two app instances on it, and a
// primary SIGKILLed under a bounded load: what fails, for how long, and what is lost (printed).
const PUBLIC_ORIGIN = 'http://app.socialauth.test';
const PREFIX = 'socialauth:sess:';
const LIMIT = 5;

// Cluster start-up, a dozen sign-ins and a failover on a shared 2-core machine.
jest.setTimeout(120_000);

interface App {
  url: string;
  store: SocialAuthRedisStore;
  accounts: AccountStore;
  logs: string[];
  close(): Promise<void>;
}

let cluster: RedisCluster;
let emulator: Emulator;
let a: App;
let b: App;

/** One app instance with its own Cluster clients, behind the shared public origin. */
async function startApp(): Promise<App> {
  const store = redisSession({ cluster: cluster.nodes });
  const accounts = redisAccounts({ cluster: cluster.nodes });
  const logs: string[] = [];
  const log = (m: string) => void logs.push(m);
  const app = express();
  app.use(
    socialAuth({
      baseURL: PUBLIC_ORIGIN,
      secret: SECRET,
      providers: [google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin })],
      session: { store },
      accounts,
      rateLimit: { limit: LIMIT, windowMs: 60_000 },
      logger: { info: log, warn: log, error: log },
    }),
  );
  app.get('/private', requireAuth(), (req, res) => void res.json({ id: req.user?.id }));
  const { server, url } = await listen(app);
  return {
    url,
    store,
    accounts,
    logs,
    async close() {
      (server as Server).closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await accounts.close?.();
      await store.close();
    },
  };
}

beforeAll(async () => {
  cluster = await startRedisCluster({ nodeTimeoutMs: 1000 });
  emulator = await startEmulator({ port: 0 });
  [a, b] = await Promise.all([startApp(), startApp()]);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await emulator?.stop();
  await cluster?.stop();
});

/** A whole sign-in from `from`: started on `first`, called back on `second`. */
async function signIn(first: App, second: App, from: string): Promise<string> {
  const started = await call(`${first.url}/auth/google`, { from });
  expect(started.status).toBe(302);
  const back = await consent(new URL(started.headers.location ?? ''));
  const done = await call(`${second.url}${back}`, {
    from,
    headers: { Cookie: sidCookie(started)!, Accept: 'text/html' },
  });
  expect(done.status).toBe(302);
  return sidCookie(done)!;
}

const userOf = (reply: Reply) => (JSON.parse(reply.text) as { user?: { id: string } }).user?.id;

test('flow claims, the session index, the rate limit and accounts work on a Cluster client', async () => {
  const [onA, onB] = [a, b].map((x) => redisCoordination({ client: x.store.redis }));
  const claims = flowClaims(onA!);
  expect(await claims.claim('state-1')).toBe(true);
  expect(await flowClaims(onB!).claim('state-1')).toBe(false);

  const index = onA!.sessionIndex({ lifetimeMs: 60_000, maxPerUser: 10 });
  const now = Date.now();
  await index.add('u1', {
    sid: 's1',
    provider: 'google',
    subject: '1',
    createdAt: now,
    lastSeenAt: now,
  });
  await index.add('u1', {
    sid: 's2',
    provider: 'kakao',
    subject: '2',
    createdAt: now,
    lastSeenAt: now,
  });
  expect(
    (await onB!.sessionIndex({ lifetimeMs: 60_000, maxPerUser: 10 }).list('u1'))
      .map((s) => s.sid)
      .sort(),
  ).toEqual(['s1', 's2']);
  expect((await index.take('u1', (s) => s.provider === 'kakao')).map((s) => s.sid)).toEqual(['s2']);
  expect((await index.list('u1')).map((s) => s.sid)).toEqual(['s1']);

  // One counter for both instances: the sixth start from this address is refused.
  const statuses: number[] = [];
  for (let i = 0; i <= LIMIT; i += 1) {
    const app = i % 2 ? b : a;
    statuses.push((await call(`${app.url}/auth/google`, { from: '127.0.0.2' })).status);
  }
  expect(statuses).toEqual([302, 302, 302, 302, 302, 429]);

  // Every account script on the cluster: all keys share the {socialauth} slot.
  const accounts = a.accounts;
  const kakao = { provider: 'kakao', subject: 'k1', emailVerified: false };
  const { user, created } = await accounts.createUser({ name: 'Ada' }, kakao);
  expect(created).toBe(true);
  expect((await accounts.createUser({ name: 'Ada' }, kakao)).created).toBe(false);
  await accounts.link(user.id, { provider: 'naver', subject: 'n1', emailVerified: true });
  expect((await accounts.listIdentities(user.id)).map((i) => i.provider).sort()).toEqual([
    'kakao',
    'naver',
  ]);
  await accounts.updateUser(user.id, { email: 'Ada@Example.com' });
  expect((await accounts.findUserByVerifiedEmail('ada@example.com'))?.id).toBe(user.id);
  await accounts.saveTokens('naver', 'n1', undefined, true);
  expect((await accounts.findIdentity('naver', 'n1'))?.needsReauth).toBe(true);
  expect(await accounts.unlink(user.id, 'naver', 'n1')).toMatchObject({ subject: 'n1' });
  await expect(accounts.unlink(user.id, 'kakao', 'k1')).rejects.toMatchObject({
    code: 'last_identity',
  });

  // An untagged prefix would split the scripts' keys over slots: refused at start-up.
  expect(() => redisAccounts({ cluster: cluster.nodes, prefix: 'socialauth:' })).toThrow(
    /hash tag.*@socialauth\/postgres/,
  );
});

test('a sign-in started on instance A completes on instance B; both see the session', async () => {
  const cookie = await signIn(a, b, '127.0.0.3');
  const onA = await call(`${a.url}/auth/session`, { headers: { Cookie: cookie } });
  const onB = await call(`${b.url}/private`, { headers: { Cookie: cookie } });
  expect(onA.status).toBe(200);
  expect(onB.status).toBe(200);
  expect(userOf(onA)).toBe((JSON.parse(onB.text) as { id: string }).id);
  expect(emulator.count('google', 'token')).toBeGreaterThanOrEqual(1);
});

interface Outcome {
  at: number;
  took: number;
  session: number;
  status: number;
  retryAfter: string | undefined;
  setCookie: string[] | undefined;
}

test('a primary SIGKILLed under load: 503s while it fails over, no 500, then every session back', async () => {
  // Sessions spread over the three primaries (each its own key, so its own slot).
  const SESSIONS = 12;
  const cookies: string[] = [];
  for (let i = 0; i < SESSIONS; i += 1) {
    cookies.push(await signIn(i % 2 ? a : b, i % 2 ? b : a, `127.0.1.${i + 1}`));
  }
  const userIds: (string | undefined)[] = [];
  for (const cookie of cookies) {
    userIds.push(userOf(await call(`${a.url}/auth/session`, { headers: { Cookie: cookie } })));
  }
  const homes = await Promise.all(cookies.map((c) => cluster.primaryOf(PREFIX + sessionId(c))));
  const counts = new Map<number, number>();
  for (const port of homes) counts.set(port, (counts.get(port) ?? 0) + 1);
  const victim = [...counts].sort((x, y) => y[1] - x[1])[0]![0];
  const onVictim = homes.map((port) => port === victim);
  await cluster.ready(); // replicas in sync: the sign-ins' writes have reached them

  // Bounded load: 8 clients, 2400 requests in all, alternating instances; the kill after 200.
  const TOTAL = 2400;
  const outcomes: Outcome[] = [];
  let issued = 0;
  let killedAt = 0;
  let killing: Promise<void> | undefined;
  const worker = async () => {
    while (issued < TOTAL) {
      const n = issued++;
      if (n === 200) killing = cluster.kill(victim).then(() => void (killedAt = Date.now()));
      const session = n % SESSIONS;
      const app = n % 2 ? a : b;
      const sent = Date.now();
      const reply = await call(`${app.url}/auth/session`, {
        headers: { Cookie: cookies[session]!, Accept: 'application/json' },
      });
      outcomes.push({
        at: Date.now(),
        took: Date.now() - sent,
        session,
        status: reply.status,
        retryAfter: reply.headers['retry-after'],
        setCookie: reply.headers['set-cookie'],
      });
    }
  };
  const loadStart = Date.now();
  await Promise.all(Array.from({ length: 8 }, worker));
  await killing;
  const loadEnd = Date.now();

  // Safe properties: only 200 or 503; a 503 says when to retry; nobody is handed a cookie.
  for (const o of outcomes) {
    expect([200, 503]).toContain(o.status);
    expect(o.setCookie).toBeUndefined();
    if (o.status === 503) expect(o.retryAfter).toMatch(/^[1-9]\d*$/);
  }

  // Recovery: every session asked, on both instances, until a whole round has no 503.
  let recoveredAt = 0;
  let last: Reply[] = [];
  for (let round = 0; round < 600 && !recoveredAt; round += 1) {
    last = await Promise.all(
      cookies.map((cookie, i) =>
        call(`${(i + round) % 2 ? a.url : b.url}/auth/session`, { headers: { Cookie: cookie } }),
      ),
    );
    if (last.every((r) => r.status !== 503)) recoveredAt = Date.now();
    else await new Promise((r) => setTimeout(r, 50));
  }
  expect(recoveredAt).toBeGreaterThan(0);
  // Every session not on the killed primary is intact, with its user.
  last.forEach((reply, i) => {
    if (!onVictim[i]) expect([reply.status, userOf(reply)]).toEqual([200, userIds[i]]);
  });

  const failed = outcomes.filter((o) => o.status === 503);
  const since = (t: number | undefined) => (t === undefined ? '-' : `${t - killedAt}`);
  const span = (xs: Outcome[]) =>
    xs.length ? `${since(xs[0]!.at)}..${since(xs[xs.length - 1]!.at)} ms` : 'none';
  const failedVictim = failed.filter((o) => onVictim[o.session]);
  const failedOthers = failed.filter((o) => !onVictim[o.session]);
  const lastFail = failed[failed.length - 1]?.at ?? killedAt;
  // Back: the first 200 of a session on the killed primary after the last 503 of the load.
  const backAt =
    outcomes.find((o) => o.at > lastFail && o.status === 200 && onVictim[o.session])?.at ??
    recoveredAt;
  const slowest503 = Math.max(0, ...failed.map((o) => o.took));
  const lost = last.filter((r, i) => onVictim[i] && r.status !== 200).length;
  const redisLines = [...a.logs, ...b.logs].filter((l) => /Redis/.test(l));
  console.log(
    [
      `cluster failover: ${SESSIONS} sessions, ${counts.get(victim)} on the killed primary ` +
        `(${[...counts.values()].join('/')} over the primaries)`,
      `load: ${outcomes.length} requests in ${loadEnd - loadStart} ms (kill at ` +
        `${killedAt - loadStart} ms), ${outcomes.length - failed.length} x 200, ` +
        `${failed.length} x 503 (slowest 503 took ${slowest503} ms)`,
      `503s, ms after the kill: sessions on the killed primary ${failedVictim.length} ` +
        `(${span(failedVictim)}), other sessions ${failedOthers.length} (${span(failedOthers)})`,
      `back: a session of the killed primary answered 200 again ${since(backAt)} ms after ` +
        `the kill; a full round without 503 at ${since(recoveredAt)} ms`,
      `sessions lost: ${lost} of ${counts.get(victim)} on the killed primary, 0 elsewhere`,
      `primaries now: ${(await cluster.primaries()).length}; app log lines about Redis: ` +
        `${redisLines.length}${redisLines[0] ? ` (first: ${redisLines[0]})` : ''}`,
    ].join('\n'),
  );
});
