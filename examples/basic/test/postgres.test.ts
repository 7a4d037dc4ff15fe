import { approveConsent, DEFAULT_USERS } from '@socialauth/emulator';
import { startPostgres, type PostgresServer } from '@socialauth/testkit';
import { startExample } from '../src/example';

// DATABASE_URL: the example keeps its users in PostgreSQL, migrated at start-up, so a user
// outlives the instance that signed them up (sessions stay in memory here).
type Example = Awaited<ReturnType<typeof startExample>>;
let server: PostgresServer;
const running: Example[] = [];
beforeAll(async () => {
  for (const p of ['GOOGLE', 'NAVER', 'KAKAO']) delete process.env[`${p}_CLIENT_ID`];
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  for (const example of running.splice(0)) await example.stop();
  await server?.stop();
});

const start = async (lines: string[]) => {
  const example = await startExample({
    port: 0,
    databaseURL: server.url,
    log: (l) => lines.push(l),
  });
  running.push(example);
  return example;
};

/** Signs in with the emulator's first Google user; returns the signed-in user's id. */
async function signIn(example: Example): Promise<string> {
  const json = { redirect: 'manual', headers: { Accept: 'application/json' } } as const;
  const begin = await fetch(`${example.url}/auth/google?next=/profile`, json);
  const cookie = begin.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  const authorize = ((await begin.json()) as { redirectUrl: string }).redirectUrl;
  const back = new URL(await approveConsent(authorize));
  const callback = await fetch(`${example.url}${back.pathname}${back.search}`, {
    ...json,
    headers: { ...json.headers, Cookie: cookie },
  });
  expect(callback.headers.get('location')).toBe('/profile');
  const signedIn = callback.headers.getSetCookie()[0]?.split(';')[0] ?? '';
  const session = await fetch(`${example.url}/auth/session`, {
    headers: { Accept: 'application/json', Cookie: signedIn },
  });
  const { user } = (await session.json()) as { user: { id: string; email: string } };
  expect(user.email).toBe(DEFAULT_USERS.google[0]!.email);
  return user.id;
}

test('users live in PostgreSQL: migrated once, the same user after a restart', async () => {
  const firstLog: string[] = [];
  const first = await start(firstLog);
  expect(firstLog).toContain(
    `Accounts in PostgreSQL at 127.0.0.1:${server.port}, migrated: 0001_accounts, 0002_identity_profile, 0003_admin, 0004_identity_scopes`,
  );
  const id = await signIn(first);
  await first.stop();

  const secondLog: string[] = [];
  const second = await start(secondLog);
  expect(secondLog).toContain(`Accounts in PostgreSQL at 127.0.0.1:${server.port}`);
  expect(await signIn(second)).toBe(id);
  expect(await server.query('select id from socialauth_users')).toEqual([{ id }]);
  const identities = await server.query('select provider, user_id from socialauth_identities');
  expect(identities).toEqual([{ provider: 'google', user_id: id }]);
});
