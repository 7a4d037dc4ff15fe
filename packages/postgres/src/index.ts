export { postgresAccounts, type PostgresAccountsOptions } from './store';
export { migrate, migrations, type MigrateResult } from './migrate';
export type { PostgresConnection } from './connection';
export { DEFAULT_PREFIX } from './schema';
export { runCli } from './cli-run';
