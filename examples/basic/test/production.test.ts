import { Redis } from 'ioredis';
import { approveConsent } from '@socialauth/emulator';
import {
  startRedisCluster,
  type RedisCluster,
  startPostgres,
  type PostgresServer,
} from '@socialauth/testkit';
import { startExample } from '../src/example';

// Issue 11's "Production" together, as the README shows it: users in PostgreSQL, sessions on a
// 3-primary Redis Cluster, and a provider configured only by its OpenID Connect issuer (the
// emulator's Google, discovered as any provider would be). Real servers, started here.
type Example = Awaited<ReturnType<typeof startExample>>;
let pg: PostgresServer;
let cluster: RedisCluster;
let example: Example;
const lines: string[] = [];

beforeAll(async () => {
  for (const p of ['GOOGLE', 'NAVER', 'KAKAO']) delete process.env[`${p}_CLIENT_ID`];
  [pg, cluster] = await Promise.all([startPostgres(), startRedisCluster()]);
  example = await startExample({
    port: 0,
    databaseURL: pg.url,
    redisCluster: cluster.nodes.map((n) => `${n.host}:${n.port}`),
    oidcIssuer: 'emulator',
    log: (line) => lines.push(line),
  });
}, 90_000);
afterAll(async () => {
  await example?.stop();
  await Promise.all([pg?.stop(), cluster?.stop()]);
});

test('an oidc() sign-in: the user in PostgreSQL, the session on the cluster', async () => {
  const json = { redirect: 'manual', headers: { Accept: 'application/json' } } as const;
  const begin = await fetch(`${example.url}/auth/oidc?next=/profile`, json);
  expect(begin.status).toBe(200);
  const cookie = begin.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  const { redirectUrl } = (await begin.json()) as { redirectUrl: string };
  const authorize = new URL(redirectUrl);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256'); // from discovery
  const back = new URL(await approveConsent(redirectUrl));
  const callback = await fetch(`${example.url}${back.pathname}${back.search}`, {
    ...json,
    headers: { ...json.headers, Cookie: cookie },
  });
  if (callback.status !== 302)
    throw new Error(`${callback.status} ${await callback.text()}\n${lines.join('\n')}`);
  expect(callback.headers.get('location')).toBe('/profile');
  const signedIn = callback.headers.getSetCookie()[0]?.split(';')[0] ?? '';

  const session = await fetch(`${example.url}/auth/session`, {
    headers: { Accept: 'application/json', Cookie: signedIn },
  });
  const body = (await session.json()) as {
    user: { id: string; identities: { provider: string }[] };
  };
  expect(body.user.identities.map((i) => i.provider)).toEqual(['oidc']);

  const rows = await pg.query('select user_id, provider from socialauth_identities');
  expect(rows).toEqual([{ user_id: body.user.id, provider: 'oidc' }]);

  // The session key lives on the primary its slot maps to.
  const sid = decodeURIComponent(signedIn.split('=')[1]!).slice(2).split('.')[0]!;
  const key = `socialauth:sess:${sid}`;
  const port = await cluster.primaryOf(key);
  const node = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
  try {
    await node.connect();
    expect(await node.exists(key)).toBe(1);
  } finally {
    node.disconnect();
  }
  expect(lines.some((l) => l.startsWith('Accounts in PostgreSQL'))).toBe(true);
  expect(lines.some((l) => l.startsWith('Sessions on the Redis Cluster'))).toBe(true);
});
