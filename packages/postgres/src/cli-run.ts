import { migrate } from './migrate';
import { DEFAULT_PREFIX } from './schema';

const USAGE = `Usage: socialauth-postgres migrate [--prefix <prefix>]

Creates or updates socialauth's account tables in the database at DATABASE_URL
(postgres://user:password@host:5432/database; add ?sslmode=require for TLS).
Safe to run again, and from several instances at once. Default prefix: ${DEFAULT_PREFIX}`;

/**
 * The `socialauth-postgres` command, as a function: returns the exit code. `migrate` applies
 * the pending migrations to the database at `DATABASE_URL` (see {@link migrate}).
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(['migrate'], process.env); // DATABASE_URL=postgres://...
 * ```
 */
export async function runCli(
  args: readonly string[],
  env: Record<string, string | undefined>,
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): Promise<number> {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    out(USAGE);
    return 0;
  }
  const prefixArg = rest[0] === '--prefix' && rest.length === 2 ? rest[1] : undefined;
  if (command !== 'migrate' || (rest.length > 0 && prefixArg === undefined)) {
    err(USAGE);
    return 2;
  }
  const prefix = prefixArg ?? DEFAULT_PREFIX;
  const url = env.DATABASE_URL;
  if (!url) {
    err('socialauth-postgres: set DATABASE_URL to the database, e.g. postgres://app@localhost/app');
    return 2;
  }
  try {
    const { applied } = await migrate({ url, prefix });
    out(applied.length ? `Applied: ${applied.join(', ')}` : 'Up to date: nothing to apply');
    return 0;
  } catch (error) {
    // The message, not the URL: it may hold a password.
    err(`socialauth-postgres: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
