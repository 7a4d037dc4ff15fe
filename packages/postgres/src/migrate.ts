import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { open, type PostgresConnection } from './connection';
import { TablePrefix } from './schema';

/**
 * The versioned migrations, in code and in order. A released migration is never edited: a
 * change to the tables is a new entry. Each adds the table prefix to the `db` it is given (so
 * `'users'` here is `socialauth_users`; a second prefix plugin changes nothing more); names of
 * constraints and indexes get `prefix` by hand.
 * For an app that runs its own Kysely `Migrator`; most call {@link migrate} instead.
 *
 * @example
 * ```ts
 * const mine = migrations('socialauth_'); // { '0001_accounts': { up, down } }
 * const migrator = new Migrator({ db, provider: { getMigrations: async () => mine } });
 * ```
 */
export function migrations(prefix: string): Record<string, Migration> {
  return {
    '0001_accounts': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's Migration type
      async up(given: Kysely<any>) {
        const db = given.withPlugin(new TablePrefix(prefix));
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text')
          .addColumn('email', 'text')
          .addColumn('avatar_url', 'text')
          .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .execute();
        // (provider, subject) is an identity's key, never the email: the primary key makes a
        // second owner impossible, and createUser/link rely on it (ON CONFLICT DO NOTHING).
        await db.schema
          .createTable('identities')
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('position', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
          .addColumn('email', 'text')
          .addColumn('email_verified', 'boolean', (c) => c.notNull())
          .addColumn('linked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addColumn('tokens', 'text')
          .addColumn('needs_reauth', 'boolean')
          .addPrimaryKeyConstraint(`${prefix}identities_pkey`, ['provider', 'subject'])
          .execute();
        await db.schema
          .createIndex(`${prefix}identities_user_idx`)
          .on('identities')
          .columns(['user_id', 'position'])
          .execute();
        // A verified email belongs to the first user that claims it: the primary key decides.
        await db.schema
          .createTable('verified_emails')
          .addColumn('email', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .execute();
        await db.schema
          .createIndex(`${prefix}verified_emails_user_idx`)
          .on('verified_emails')
          .column('user_id')
          .execute();
      },
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's Migration type
      async down(given: Kysely<any>) {
        const db = given.withPlugin(new TablePrefix(prefix));
        await db.schema.dropTable('verified_emails').execute();
        await db.schema.dropTable('identities').execute();
        await db.schema.dropTable('users').execute();
      },
    },
    // StoredIdentity.profile (allauth's extra_data). Text, not jsonb: it comes back as given.
    '0002_identity_profile': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's Migration type
      async up(given: Kysely<any>) {
        const db = given.withPlugin(new TablePrefix(prefix));
        await db.schema.alterTable('identities').addColumn('profile', 'text').execute();
      },
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's Migration type
      async down(given: Kysely<any>) {
        const db = given.withPlugin(new TablePrefix(prefix));
        await db.schema.alterTable('identities').dropColumn('profile').execute();
      },
    },
    // Admin: disabled users, and the newest-first listing (auth.admin.list), which pages by
    // keyset on this index ((created_at, id) below the cursor): never a scan of the table.
    // `id` in the C collation, so the order is the byte order every store pages in.
    '0003_admin': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's Migration type
      async up(given: Kysely<any>) {
        const db = given.withPlugin(new TablePrefix(prefix));
        await db.schema.alterTable('users').addColumn('disabled_at', 'timestamptz').execute();
        await db.schema
          .createIndex(`${prefix}users_created_idx`)
          .on('users')
          .expression(sql`created_at desc, id collate "C" desc`)
          .execute();
      },
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's Migration type
      async down(given: Kysely<any>) {
        const db = given.withPlugin(new TablePrefix(prefix));
        await db.schema.dropIndex(`${prefix}users_created_idx`).execute();
        await db.schema.alterTable('users').dropColumn('disabled_at').execute();
      },
    },
    // The scope ledger (StoredIdentity.scopes): what each identity was granted, merged across
    // sign-ins. An array, so one UPDATE merges it under the row's lock.
    '0004_identity_scopes': {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's Migration type
      async up(given: Kysely<any>) {
        const db = given.withPlugin(new TablePrefix(prefix));
        await db.schema
          .alterTable('identities')
          .addColumn('scopes', sql`text[]`)
          .execute();
      },
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's Migration type
      async down(given: Kysely<any>) {
        const db = given.withPlugin(new TablePrefix(prefix));
        await db.schema.alterTable('identities').dropColumn('scopes').execute();
      },
    },
  };
}

/**
 * What {@link migrate} did.
 *
 * @example
 * ```ts
 * const { applied } = await migrate({ url });
 * console.log(applied.length ? `migrated: ${applied.join(', ')}` : 'up to date');
 * ```
 */
export interface MigrateResult {
  /** The migrations this call applied, in order; empty when the tables were up to date. */
  applied: string[];
}

/**
 * Creates or updates the account tables: applies, in order, each migration not yet applied.
 * Idempotent, and safe when several app instances start at once: Kysely's `Migrator` takes a
 * PostgreSQL advisory lock, records what it applied in `<prefix>migrations`, and runs each
 * migration in a transaction. The CLI does the same: `DATABASE_URL=... socialauth-postgres migrate`.
 *
 * @example
 * ```ts
 * import { migrate, postgresAccounts } from '@socialauth/postgres';
 *
 * await migrate({ url: process.env.DATABASE_URL! }); // { applied: ['0001_accounts', ...] } the first time
 * const accounts = postgresAccounts({ url: process.env.DATABASE_URL! });
 * ```
 */
export async function migrate<DB>(connection: PostgresConnection<DB>): Promise<MigrateResult> {
  const { db, prefix, close } = open(connection, 'migrate');
  const provider: MigrationProvider = { getMigrations: async () => migrations(prefix) };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: `${prefix}migrations`,
    migrationLockTableName: `${prefix}migrations_lock`,
  });
  try {
    const { error, results = [] } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const failed = results.find((r) => r.status === 'Error')?.migrationName;
      const cause = error instanceof Error ? error.message : String(error);
      throw new Error(`migrate: ${failed ? `migration ${failed} failed` : 'failed'}: ${cause}`, {
        cause: error,
      });
    }
    return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) };
  } finally {
    await close();
  }
}
