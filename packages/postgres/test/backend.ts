// PostgreSQL's account store as a backend of the store contract (@socialauth/testkit): a
// throwaway server of the test file, migrated once, its tables emptied before each test.
import { startPostgres, type PostgresServer, type StoreBackend } from '@socialauth/testkit';
import { migrate, postgresAccounts } from '../src';

/** The `postgres` backend: `postgresAccounts` on a PostgreSQL of this test file. */
export function postgresBackend(): StoreBackend {
  let server: PostgresServer | undefined;
  const url = (): string => {
    if (!server) throw new Error('the PostgreSQL backend is not started');
    return server.url;
  };
  return {
    name: 'postgres',
    async start() {
      server = await startPostgres();
      await migrate({ url: server.url });
    },
    async reset() {
      // Users cascade to their identities.
      await server?.query('truncate socialauth_users cascade');
    },
    create: () => postgresAccounts({ url: url() }),
    async stop() {
      await server?.stop();
    },
  };
}
