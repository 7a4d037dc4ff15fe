// Socialauth app instances in processes of their own (instance.ts run by tsx), and plain HTTP
// calls to them, for tests of several instances sharing one Redis.
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { resolve } from 'node:path';

const TSX = resolve(__dirname, '../node_modules/.bin/tsx');
const INSTANCE = resolve(__dirname, 'instance.ts');
export interface Instance {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns instance.ts in its own process group (tsx runs node as a child of its own). */
export function spawnInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(TSX, [INSTANCE], {
    cwd: resolve(__dirname, '..'), // packages/core: tsx reads its tsconfig paths
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const append = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000));
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const group = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return group('SIGKILL');
    group('SIGTERM');
    const timer = setTimeout(() => group('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    group('SIGKILL'); // node under tsx, should it outlive tsx
  };
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`instance.ts did not start in 30 s:\n${output}`));
    }, 30_000);
    child.stdout?.on('data', () => {
      const url = /READY (http:\/\/\S+)/.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolveReady({ url, child, output: () => output, stop });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`instance.ts exited (${signal ?? code}) before listening:\n${output}`));
    });
  });
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One request on a fresh connection; `from` picks the client's loopback address. */
export function call(
  url: string,
  options: { method?: string; headers?: Record<string, string>; from?: string; body?: string } = {},
): Promise<Reply> {
  return new Promise((done, reject) => {
    const req = httpRequest(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        localAddress: options.from,
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.once('error', reject);
    req.end(options.body);
  });
}

/** The `socialauth.sid=...` pair a response set, for a Cookie header; undefined when none. */
export function sidCookie(reply: Reply): string | undefined {
  const set = reply.headers['set-cookie']?.find((c) => c.startsWith('socialauth.sid='));
  return set?.split(';')[0];
}

/** The session id inside a signed cookie value (`s:<id>.<signature>`). */
export function sessionId(cookie: string): string {
  const value = decodeURIComponent(cookie.slice('socialauth.sid='.length));
  return value.slice(2, value.lastIndexOf('.'));
}

/** Two instances with the same environment, started side by side; both or an error. */
export async function spawnPair(env: Record<string, string>): Promise<[Instance, Instance]> {
  const [first, second] = await Promise.allSettled([spawnInstance(env), spawnInstance(env)]);
  if (first.status === 'fulfilled' && second.status === 'fulfilled') {
    return [first.value, second.value];
  }
  // Whichever started is stopped, so no process outlives the failed start.
  await Promise.all([first, second].map((r) => (r.status === 'fulfilled' ? r.value.stop() : null)));
  throw first.status === 'rejected' ? first.reason : (second as PromiseRejectedResult).reason;
}
