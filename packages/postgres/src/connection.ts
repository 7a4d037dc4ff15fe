import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DEFAULT_PREFIX, TablePrefix, type Tables } from './schema';

/**
 * Where the tables are: exactly one of a connection URL (the package makes and owns a pool),
 * a `pg` pool the app owns, or the app's own Kysely instance (`DB`: its database type, any;
 * its plugins do not apply to this package's queries).
 *
 * @example
 * ```ts
 * const byURL: PostgresConnection = { url: process.env.DATABASE_URL ?? '' };
 * const byPool: PostgresConnection = { pool: new pg.Pool({ max: 5 }), prefix: 'auth_' };
 * ```
 */
export type PostgresConnection<DB = unknown> = (
  | { url: string; pool?: undefined; db?: undefined }
  | { pool: pg.Pool; url?: undefined; db?: undefined }
  | { db: Kysely<DB>; url?: undefined; pool?: undefined }
) & {
  /** Put before the table names; default `'socialauth_'`. Letters, digits and `_`. */
  prefix?: string;
};

/** A Kysely over the connection, with the table prefix applied, and how to let go of it. */
export interface Opened {
  db: Kysely<Tables>;
  prefix: string;
  /** Ends the pool if this package made it (from `url`); leaves the app's pool or Kysely open. */
  close(): Promise<void>;
}

export function open<DB>(connection: PostgresConnection<DB>, who: string): Opened {
  const { url, pool, db, prefix = DEFAULT_PREFIX } = connection;
  if ([url, pool, db].filter((x) => x !== undefined).length !== 1) {
    throw new Error(`${who}: pass exactly one of \`url\`, \`pool\` and \`db\``);
  }
  const plugin = new TablePrefix(prefix);
  if (db) {
    // Same connections, without the app's plugins (a CamelCasePlugin would rename the columns
    // of our rows) and with the prefix: queries are typed against this package's tables only.
    const ours = db.withoutPlugins().withPlugin(plugin) as unknown as Kysely<Tables>;
    return { db: ours, prefix, close: async () => {} };
  }
  const owned = pool === undefined;
  const thePool =
    pool ??
    new pg.Pool({
      connectionString: url,
      // Without a timeout a sign-in would wait forever for a database that does not answer.
      connectionTimeoutMillis: 10_000,
    });
  if (owned) {
    // An idle client's error (the server restarted) is emitted on the pool: unheard, it would
    // crash the process. pg drops that client and the next query connects anew.
    // Source: node-postgres docs, "Pool" > "events" > "error".
    thePool.on('error', () => {});
  }
  const kysely = new Kysely<Tables>({
    dialect: new PostgresDialect({ pool: thePool }),
    plugins: [plugin],
  });
  return {
    db: kysely,
    prefix,
    // Kysely's destroy ends the pool: only for the pool made here.
    close: async () => (owned ? kysely.destroy() : undefined),
  };
}
