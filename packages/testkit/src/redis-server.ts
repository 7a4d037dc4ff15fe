import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A redis-server child process of this test file, on its own port and directory. */
export interface RedisServer {
  /** `redis://127.0.0.1:{port}`. */
  url: string;
  port: number;
  /** Shuts it down (SIGTERM) and removes the directory if `startRedis` made it. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, for tests of what a store does when Redis vanishes. */
  kill(): Promise<void>;
  /**
   * Starts it again on the same port and directory, stopping it first if it still runs. After
   * `stop()` the directory it made is gone, so the new server starts empty.
   */
  restart(): Promise<void>;
}

/** The machine's own Redis listens here; a test must never talk to it, even by accident. */
const SYSTEM_PORT = 6379;

/**
 * A port nobody listens on right now (the OS picks it), never `avoid` (a server's standard port,
 * which a machine's own server may hold later); another process may still take it.
 */
export function freePort(avoid = SYSTEM_PORT): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port && port !== avoid ? resolve(port) : resolve(freePort(avoid))));
    });
  });
}

/**
 * True once the server on `port` answers PING with PONG (not LOADING) and is process `pid`: a
 * server another test file started on a port we both picked must not pass for ours.
 */
function ready(port: number, pid: number | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
    socket.once('connect', () => socket.write('PING\r\nINFO server\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      const id = /process_id:(\d+)\r\n/.exec(reply)?.[1];
      if (id !== undefined) done(reply.startsWith('+PONG') && Number(id) === pid);
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class PortTaken extends Error {}

/** Spawns redis-server and resolves once it answers PING; rejects with its output if it exits. */
async function spawnRedis(port: number, dir: string, appendonly: boolean): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir];
  args.push('--appendonly', appendonly ? 'yes' : 'no', '--daemonize', 'no');
  // env passed on purpose: spawn then looks the binary up on this (jest-sandboxed) PATH.
  const child = spawn('redis-server', args, {
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  // A fork of the server (an AOF rewrite) can outlive it and hold these pipes open, keeping jest
  // alive after the tests: let go of them when the server itself exits.
  child.once('exit', () => {
    child.stdout?.destroy();
    child.stderr?.destroy();
  });
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === 'ENOENT'
          ? new Error('redis-server is not on PATH: install the Debian package redis-server')
          : error,
      ),
    );
    child.once('exit', (code, signal) =>
      resolve(
        /Address already in use/i.test(output)
          ? new PortTaken(`port ${port} is taken`)
          : new Error(`redis-server exited (${signal ?? code}) before answering PING:\n${output}`),
      ),
    );
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const outcome = await Promise.race([exited, sleep(50).then(() => ready(port, child.pid))]);
    if (outcome instanceof Error) throw outcome;
    if (outcome) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer PING:\n${output}`);
    }
  }
}

/** Sends `signal` and waits for the process to be gone. */
function end(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/**
 * Starts a throwaway redis-server on a free port of 127.0.0.1 (never 6379), with no RDB snapshots
 * and, unless `appendonly` is set, no AOF. Call `stop()` in `afterAll`: nothing else ends it
 * (exit hooks set inside a jest test never run).
 *
 * @example
 * ```ts
 * let redis: RedisServer;
 * beforeAll(async () => (redis = await startRedis()));
 * afterAll(() => redis.stop());
 * test('talks to it', () => { const store = redisAccounts({ url: redis.url }); ... });
 * ```
 */
export async function startRedis(
  options: { dir?: string; appendonly?: boolean } = {},
): Promise<RedisServer> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'socialauth-redis-'));
  const appendonly = options.appendonly ?? false;
  let port = 0;
  let child: ChildProcess | undefined;
  // A port found free can be taken before redis-server binds it: pick another and try again.
  for (let attempt = 1; !child; attempt += 1) {
    port = await freePort();
    try {
      child = await spawnRedis(port, dir, appendonly);
    } catch (error) {
      if (error instanceof PortTaken && attempt < 5) continue;
      if (ownDir) rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await end(child, 'SIGTERM');
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
    kill: () => end(child, 'SIGKILL'),
    async restart() {
      await end(child, 'SIGTERM');
      mkdirSync(dir, { recursive: true }); // stop() may have removed it
      child = await spawnRedis(port, dir, appendonly);
    },
  };
}
