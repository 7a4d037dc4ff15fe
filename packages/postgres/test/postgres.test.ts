// What the store contract suites (@socialauth/testkit; run here by accounts-*.test.ts,
// email-key, profile-fields and provider-data) cannot see: the migration, the tables and their
// constraints, the connection options, the CLI, and races wider than the contract's 20-way
// first sign-in. All against a real, throwaway PostgreSQL.
import { SocialAuthError, type AccountStore } from '@socialauth/core';
import { CamelCasePlugin, Kysely, Migrator, NO_MIGRATIONS, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrate, migrations, postgresAccounts, runCli } from '../src';
import {
  googleIdentity as google,
  kakaoIdentity as kakao,
  startPostgres,
  type PostgresServer,
} from '@socialauth/testkit';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
  await migrate({ url: server.url });
}, 60_000);
afterAll(() => server?.stop());
beforeEach(() => server.query('truncate socialauth_users cascade'));

/** A pool as an app would own it; ended after the tests even when one fails midway. */
const pools: pg.Pool[] = [];
const appPool = () => {
  const pool = new pg.Pool({ connectionString: server.url, max: 2 });
  pool.on('error', () => {});
  pools.push(pool);
  return pool;
};
afterAll(() => Promise.all(pools.map((p) => (p.ended ? undefined : p.end()))));

let store: AccountStore;
beforeEach(() => (store = postgresAccounts({ url: server.url })));
afterEach(() => store.close?.());

const count = async (table: string) =>
  Number((await server.query(`select count(*) as n from ${table}`))[0]?.n);
const codeOf = (reason: unknown) => (reason instanceof SocialAuthError ? reason.code : reason);

describe('migrate', () => {
  test('is versioned and idempotent: a second run applies nothing', async () => {
    expect(await migrate({ url: server.url, prefix: 'again_' })).toEqual({
      applied: ['0001_accounts', '0002_identity_profile', '0003_admin', '0004_identity_scopes'],
    });
    expect(await migrate({ url: server.url, prefix: 'again_' })).toEqual({ applied: [] });
    const rows = await server.query('select name from again_migrations order by name');
    expect(rows).toEqual([
      { name: '0001_accounts' },
      { name: '0002_identity_profile' },
      { name: '0003_admin' },
      { name: '0004_identity_scopes' },
    ]);
  });

  test('two instances starting at once apply it exactly once', async () => {
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => migrate({ url: server.url, prefix: 'twin_' })),
    );
    expect(runs.flatMap((r) => r.applied).sort()).toEqual([
      '0001_accounts',
      '0002_identity_profile',
      '0003_admin',
      '0004_identity_scopes',
    ]);
    const other = postgresAccounts({ url: server.url, prefix: 'twin_' });
    const { created } = await other.createUser({}, google('g-1'));
    await other.close?.();
    expect(created).toBe(true);
    expect(await count('twin_identities')).toBe(1);
    expect(await count('socialauth_identities')).toBe(0); // prefixes keep stores apart
  });

  test('its migrations run under an app’s own Migrator, prefix included, and go down', async () => {
    const pool = appPool();
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    const mine = migrations('own_');
    const migrator = new Migrator({ db, provider: { getMigrations: async () => mine } });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await server.query("select to_regclass('own_identities') as t")).toEqual([
      { t: 'own_identities' },
    ]);
    expect((await migrator.migrateTo(NO_MIGRATIONS)).error).toBeUndefined();
    expect(await server.query("select to_regclass('own_users') as t")).toEqual([{ t: null }]);
    await db.destroy();
  });

  test('a database at version 1 gets only the newer migration, and keeps its data', async () => {
    const pool = appPool();
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    const provider = { getMigrations: async () => migrations('old_') };
    const names = { migrationTableName: 'old_migrations', migrationLockTableName: 'old_lock' };
    const migrator = new Migrator({ db, provider, ...names });
    expect((await migrator.migrateTo('0001_accounts')).error).toBeUndefined();
    await db.destroy();
    await server.query("insert into old_users (id) values ('u1')");
    await server.query(`insert into old_identities (provider, subject, user_id, email_verified)
      values ('google', 'g-1', 'u1', true)`);
    // migrate() names its tables old_migrations and old_migrations_lock: the record is shared.
    await server.query('alter table old_lock rename to old_migrations_lock');
    expect(await migrate({ url: server.url, prefix: 'old_' })).toEqual({
      applied: ['0002_identity_profile', '0003_admin', '0004_identity_scopes'],
    });
    const old = postgresAccounts({ url: server.url, prefix: 'old_' });
    await old.saveProfile?.('google', 'g-1', '{"sub":"g-1"}');
    expect(await old.findIdentity('google', 'g-1')).toMatchObject({
      userId: 'u1',
      profile: '{"sub":"g-1"}',
    });
    await old.close?.();
  });

  test('refuses a prefix that is not a plain SQL name', async () => {
    await expect(migrate({ url: server.url, prefix: 'x"; drop table y; --' })).rejects.toThrow(
      /prefix/,
    );
    expect(() => postgresAccounts({ url: server.url, prefix: 'a b' })).toThrow(/prefix/);
  });
});

describe('tables and constraints', () => {
  test('has users, identities, verified emails and the migration tables', async () => {
    const rows = await server.query(
      "select table_name from information_schema.tables where table_name like 'socialauth_%' order by 1",
    );
    expect(rows.map((r) => r.table_name)).toEqual([
      'socialauth_identities',
      'socialauth_migrations',
      'socialauth_migrations_lock',
      'socialauth_users',
      'socialauth_verified_emails',
    ]);
  });

  test('(provider, subject) is unique in the table itself, not only in the store', async () => {
    const { user } = await store.createUser({}, google('g-1'));
    const insert = server.query(
      `insert into socialauth_identities (provider, subject, user_id, email_verified)
       values ('google', 'g-1', $1, false)`,
      [user.id],
    );
    await expect(insert).rejects.toMatchObject({ code: '23505' });
  });

  test('keeps the sealed token string as given and a lower-cased verified email', async () => {
    const sealed = 'v1.gcm.AAAA-opaque_to_the-store==';
    const identity = google('g-1', { tokens: sealed, email: 'Ada@Example.COM' });
    const { user } = await store.createUser({ email: 'Ada@Example.COM' }, identity);
    const [row] = await server.query('select tokens from socialauth_identities');
    expect(row).toEqual({ tokens: sealed });
    expect(await server.query('select email, user_id from socialauth_verified_emails')).toEqual([
      { email: 'ada@example.com', user_id: user.id },
    ]);
  });

  test('deleting a user removes its identities and email (ON DELETE CASCADE)', async () => {
    const { user } = await store.createUser({ email: 'a@example.com' }, google('g-1'));
    await store.link(user.id, kakao('k-1'));
    await server.query('delete from socialauth_users where id = $1', [user.id]);
    expect(await count('socialauth_identities')).toBe(0);
    expect(await count('socialauth_verified_emails')).toBe(0);
    expect(await store.findIdentity('kakao', 'k-1')).toBeUndefined();
  });
});

describe('connections', () => {
  test('takes a pool the app owns, and leaves it open on close()', async () => {
    const pool = appPool();
    const onPool = postgresAccounts({ pool });
    await onPool.createUser({ name: 'Ada' }, google('g-1'));
    await onPool.close?.();
    expect((await pool.query('select name from socialauth_users')).rows).toEqual([{ name: 'Ada' }]);
    await pool.end();
  });

  test('takes the app’s own Kysely, whatever its database type', async () => {
    interface AppTables {
      posts: { id: number };
    }
    const pool = appPool();
    const db = new Kysely<AppTables>({
      dialect: new PostgresDialect({ pool }),
      plugins: [new CamelCasePlugin()], // would turn user_id into userId in our rows
    });
    const onDb = postgresAccounts({ db });
    const { user } = await onDb.createUser({}, google('g-1'));
    expect(await onDb.findIdentity('google', 'g-1')).toMatchObject({ userId: user.id });
    await onDb.close?.();
    expect((await onDb.getUser(user.id))?.id).toBe(user.id); // the app's Kysely is still open
    await db.destroy();
  });

  test('wants exactly one of url, pool and db', () => {
    expect(() => postgresAccounts({} as never)).toThrow(/exactly one/);
  });

  test('an unreachable database is a rejection, not a hang', async () => {
    const down = postgresAccounts({ url: 'postgres://app:secret@127.0.0.1:1/app' });
    await expect(down.getUser('u')).rejects.toThrow(/ECONNREFUSED/);
    await down.close?.();
  });
});

describe('races (transactions and constraints, no locks in the app)', () => {
  test.each([20, 100])(
    '%i concurrent first sign-ins of one identity create one user',
    async (n) => {
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          store.createUser({ name: `n${i}`, email: `n${i}@example.com` }, google('g-1')),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.user.id)).size).toBe(1);
      // The losers rolled back: no orphan user rows, and only the winner's email is indexed.
      expect(await count('socialauth_users')).toBe(1);
      expect(await count('socialauth_identities')).toBe(1);
      expect(await count('socialauth_verified_emails')).toBe(1);
    },
  );

  test('two unlinks of a user’s last two identities: one succeeds, one is last_identity', async () => {
    for (let round = 0; round < 10; round += 1) {
      await server.query('truncate socialauth_users cascade');
      const { user } = await store.createUser({}, google('g-1'));
      await store.link(user.id, kakao('k-1'));
      const outcomes = await Promise.allSettled([
        store.unlink(user.id, 'google', 'g-1'),
        store.unlink(user.id, 'kakao', 'k-1'),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
      expect(refused.map(codeOf)).toEqual(['last_identity']);
      expect(await store.listIdentities(user.id)).toHaveLength(1);
    }
  });

  test('unlinks racing links never leave a user without an identity', async () => {
    const { user } = await store.createUser({}, google('g-1'));
    await store.link(user.id, kakao('k-1'));
    const calls = [
      store.unlink(user.id, 'google', 'g-1'),
      store.link(user.id, kakao('k-2')),
      store.unlink(user.id, 'kakao', 'k-1'),
      store.link(user.id, kakao('k-3')),
      store.unlink(user.id, 'kakao', 'k-2'),
      store.unlink(user.id, 'kakao', 'k-3'),
    ];
    const outcomes = await Promise.allSettled<unknown>(calls);
    for (const o of outcomes)
      if (o.status === 'rejected') expect(codeOf(o.reason)).toBe('last_identity');
    const left = await store.listIdentities(user.id);
    expect(left.length).toBeGreaterThanOrEqual(1);
    expect(await count('socialauth_identities')).toBe(left.length);
  });

  test('two users linking one identity at once: one owns it, the other gets identity_in_use', async () => {
    const a = (await store.createUser({}, google('g-a'))).user;
    const b = (await store.createUser({}, google('g-b'))).user;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => store.link(i % 2 ? a.id : b.id, kakao('k-1'))),
    );
    const owner = (await store.findIdentity('kakao', 'k-1'))?.userId;
    expect([a.id, b.id]).toContain(owner);
    outcomes.forEach((o, i) => {
      const mine = (i % 2 ? a.id : b.id) === owner;
      if (mine) expect(o).toMatchObject({ status: 'fulfilled', value: { userId: owner } });
      else expect(o.status === 'rejected' && codeOf(o.reason)).toBe('identity_in_use');
    });
    expect(await count('socialauth_identities')).toBe(3);
  });

  test('two new users with one verified email at once: the index names exactly one', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.createUser({ email: 'Same@Example.com' }, google(`g-${i}`)),
      ),
    );
    expect(results.every((r) => r.created)).toBe(true);
    const found = await store.findUserByVerifiedEmail('same@example.com');
    expect(results.map((r) => r.user.id)).toContain(found?.id);
    expect(await count('socialauth_verified_emails')).toBe(1);
  });

  test('two users swapping verified emails at once both succeed (no deadlock)', async () => {
    for (let round = 0; round < 20; round += 1) {
      await server.query('truncate socialauth_users cascade');
      const a = (await store.createUser({ email: 'e0@example.com' }, google('g-a'))).user;
      const b = (await store.createUser({ email: 'e1@example.com' }, google('g-b'))).user;
      await Promise.all([
        store.updateUser(a.id, { email: 'e1@example.com' }),
        store.updateUser(b.id, { email: 'e0@example.com' }),
      ]);
      // Whoever held an address while the other claimed it kept it: at most one entry each.
      const rows = await server.query('select email, user_id from socialauth_verified_emails');
      expect(rows.length).toBeLessThanOrEqual(2);
      for (const row of rows) {
        expect(await store.getUser(String(row.user_id))).toMatchObject({ email: row.email });
      }
    }
  });
});

describe('socialauth-postgres CLI', () => {
  const run = async (args: string[], env: Record<string, string | undefined>) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      args,
      env,
      (l) => out.push(l),
      (l) => err.push(l),
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  test('migrate reads DATABASE_URL, applies, then finds nothing to apply', async () => {
    const env = { DATABASE_URL: server.url };
    expect(await run(['migrate', '--prefix', 'cli_'], env)).toMatchObject({
      code: 0,
      out: 'Applied: 0001_accounts, 0002_identity_profile, 0003_admin, 0004_identity_scopes',
    });
    expect(await run(['migrate', '--prefix', 'cli_'], env)).toMatchObject({
      code: 0,
      out: 'Up to date: nothing to apply',
    });
    expect(await run(['migrate'], env)).toMatchObject({ code: 0 }); // the default prefix
  });

  test('says what is wrong: no DATABASE_URL, an unknown command, a database that is down', async () => {
    expect(await run(['migrate'], {})).toMatchObject({ code: 2, err: /DATABASE_URL/ });
    expect(await run(['frobnicate'], { DATABASE_URL: server.url })).toMatchObject({
      code: 2,
      err: /Usage: socialauth-postgres migrate/,
    });
    const down = await run(['migrate'], { DATABASE_URL: 'postgres://app:s3cret@127.0.0.1:1/app' });
    expect(down).toMatchObject({ code: 1, err: /ECONNREFUSED/ });
    expect(down.err).not.toContain('s3cret');
  });
});
