import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './redis-server';

/** A PostgreSQL server child process of this test file, in its own temp dir and port. */
export interface PostgresServer {
  /** `postgres://socialauth@127.0.0.1:{port}/socialauth` (trust auth, local only). */
  url: string;
  port: number;
  /** Runs one statement on the test database and returns its rows. */
  query(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Fast shutdown (SIGINT), then removes the temp dir. */
  stop(): Promise<void>;
}

/** The machine's own PostgreSQL listens here; a test must never talk to it, even by accident. */
const SYSTEM_PORT = 5432;
const FIX = 'install the server with `apt-get install postgresql` (Debian/Ubuntu)';

/** Debian's server binaries (`/usr/lib/postgresql/<version>/bin`, not on PATH): the newest. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const version = versions[0];
  if (version === undefined) {
    throw new Error(`PostgreSQL's initdb is not in ${root}/<version>/bin: ${FIX}`);
  }
  return join(root, version, 'bin');
}

/**
 * initdb and postgres refuse to run as root: as root, run them as Debian's `postgres` user,
 * which the postgresql package creates.
 */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => {
    const out = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`running as root and there is no postgres user: ${FIX}`);
    return Number(out.stdout.trim());
  };
  return { uid: id('-u'), gid: id('-g') };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class PortTaken extends Error {}

/**
 * True once the server on `port` accepts a connection and is ours (its data directory is
 * `data`): a server another test file started on a port we both picked must not pass for ours.
 */
async function ready(port: number, data: string): Promise<boolean> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'socialauth',
    database: 'postgres',
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ dir: string }>(
      "select current_setting('data_directory') as dir",
    );
    return rows[0]?.dir === data;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Spawns postgres and resolves once it is ready; rejects with its output if it exits. */
async function spawnPostgres(
  bin: string,
  dir: string,
  port: number,
  user: { uid: number; gid: number } | undefined,
): Promise<ChildProcess> {
  const data = join(dir, 'data');
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    // A throwaway server: durability buys nothing here and costs the shared CPUs time.
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    shared_buffers: '32MB',
    max_connections: '150',
  };
  const args = ['-D', data, '-p', String(port)];
  for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
  const child = spawn(join(bin, 'postgres'), args, {
    ...user,
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<Error>((resolve) => {
    child.once('error', resolve);
    child.once('exit', (code, signal) =>
      resolve(
        /could not bind|already in use/i.test(output)
          ? new PortTaken(`port ${port} is taken`)
          : new Error(
              `postgres exited (${signal ?? code}) before accepting connections:\n${output}`,
            ),
      ),
    );
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const outcome = await Promise.race([exited, sleep(100).then(() => ready(port, data))]);
    if (outcome instanceof Error) throw outcome;
    if (outcome) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`postgres on port ${port} did not accept connections:\n${output}`);
    }
  }
}

/**
 * Starts a throwaway PostgreSQL (Debian's `postgresql` package) for this test file: `initdb`
 * into a fresh temp dir, the server on a free port of 127.0.0.1 (never 5432) with its socket in
 * that dir, and a database `socialauth`. As root, it runs as the `postgres` user. Call `stop()`
 * in `afterAll`: nothing else ends it.
 *
 * @example
 * ```ts
 * let pg: PostgresServer;
 * beforeAll(async () => (pg = await startPostgres()), 60_000);
 * afterAll(() => pg.stop());
 * ```
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = binDir();
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'socialauth-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  let child: ChildProcess | undefined;
  let port = 0;
  try {
    const init = spawnSync(
      join(bin, 'initdb'),
      ['-D', join(dir, 'data'), '-U', 'socialauth', '-A', 'trust', '-E', 'UTF8', '--no-locale'],
      { ...user, env: { ...process.env, LC_ALL: 'C' }, encoding: 'utf8' },
    );
    if (init.status !== 0) {
      throw new Error(
        `initdb failed (${init.status ?? init.signal}):\n${init.stdout}${init.stderr}`,
      );
    }
    // A port found free can be taken before postgres binds it: pick another and try again.
    for (let attempt = 1; !child; attempt += 1) {
      port = await freePort(SYSTEM_PORT);
      try {
        child = await spawnPostgres(bin, dir, port, user);
      } catch (error) {
        if (error instanceof PortTaken && attempt < 5) continue;
        throw error;
      }
    }
    const admin = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'socialauth',
      database: 'postgres',
    });
    await admin.connect();
    await admin.query('create database socialauth');
    await admin.end();
  } catch (error) {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const url = `postgres://socialauth@127.0.0.1:${port}/socialauth`;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  const running = child;
  return {
    url,
    port,
    async query(text, values) {
      return (await pool.query<Record<string, unknown>>(text, values)).rows;
    },
    async stop() {
      await pool.end();
      if (running.exitCode === null && running.signalCode === null) {
        await new Promise<void>((resolve) => {
          running.once('exit', () => resolve());
          running.kill('SIGINT'); // "fast" shutdown: rolls back open transactions
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
