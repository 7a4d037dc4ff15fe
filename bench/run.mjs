// Benchmark (not a test: nothing fails on a number). `pnpm bench` at the repository root builds
// the packages and runs this. Needs redis-server on PATH; uses taskset when it is there.
//
// Every stack (see app.mjs) runs in its own process on the server core, the load generator
// (autocannon, load.mjs) in another on the load core(s), one redis-server for all. Per round,
// each stack in rotated order: FLUSHALL, a real sign-in through the emulator, warm-up, then a
// fixed-duration run of authenticated GET /me with 50 connections sharing the cookie. Server CPU
// comes from the OS (getrusage of the server process), Redis figures from Redis itself (INFO
// commandstats, MEMORY USAGE, MONITOR). Ratios socialauth / stack are paired per round.
//
//   BENCH_ROUNDS    rounds (default 5)           BENCH_SECONDS  measured seconds (default 5)
//   BENCH_WARMUP    warm-up seconds (default 2)  BENCH_FLOWS    sign-in flows timed (default 100)
//   BENCH_STORED    stored-session levels for the p99 check (default 1000,1000000; 0 skips it)
//   BENCH_STACKS    comma-separated subset of the stacks (socialauth is always run)
//   BENCH_SERVER_CPUS / BENCH_LOAD_CPUS   taskset CPU lists (default 0 / 1-<last>)
/* global AbortSignal */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath, URLSearchParams } from 'node:url';
import Redis from 'ioredis';
import { approveConsent, startEmulator } from '@socialauth/emulator';

const env = (name, fallback) => Number(process.env[name] ?? fallback);
const ROUNDS = env('BENCH_ROUNDS', 5);
const SECONDS = env('BENCH_SECONDS', 5);
const WARMUP = env('BENCH_WARMUP', 2);
const FLOWS = env('BENCH_FLOWS', 100);
const STORED = (process.env.BENCH_STORED ?? '1000,1000000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0)
  .sort((a, b) => a - b);
const CONNECTIONS = 50;
const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const STACKS = [
  { kind: 'socialauth', label: 'socialauth (lazy touch)', signIn: true },
  { kind: 'express', label: 'bare Express 5, no session', target: 0.7 },
  {
    kind: 'passport-touch',
    label: 'express-session + passport + connect-redis, default touch',
    signIn: true,
  },
  {
    kind: 'passport-notouch',
    label: 'the same with `disableTouch` (one GET per request)',
    signIn: true,
    target: 1.2,
  },
  { kind: 'better-auth', label: 'better-auth, Redis secondary storage', signIn: true, target: 2 },
  { kind: 'authjs', label: '@auth/express, JWT session', signIn: true, target: 4 },
];
const wanted = process.env.BENCH_STACKS?.split(',').map((s) => s.trim());
const stacks = STACKS.filter((s) => !wanted || s.kind === 'socialauth' || wanted.includes(s.kind));

// --- machine and pinning ---------------------------------------------------------------------
const cores = os.availableParallelism();
const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const pinning = hasTaskset && cores >= 2;
const SERVER_CPUS = process.env.BENCH_SERVER_CPUS ?? '0';
const LOAD_CPUS = process.env.BENCH_LOAD_CPUS ?? (cores > 2 ? `1-${cores - 1}` : '1');
const pinned = (cpus, cmd, args) =>
  pinning ? ['taskset', ['-c', cpus, cmd, ...args]] : [cmd, args];
// This process (the emulator and the sign-in flows run in it) stays off the server core too.
if (pinning)
  execFileSync('taskset', ['-a', '-p', '-c', LOAD_CPUS, String(process.pid)], { stdio: 'ignore' });
const pinNote = pinning
  ? `servers and redis-server on CPU ${SERVER_CPUS}, load generator, emulator and this script on CPU ${LOAD_CPUS} (taskset)`
  : hasTaskset
    ? 'NOT pinned: one core only (servers and load generator share it)'
    : 'NOT pinned: taskset is missing (install util-linux); servers and load generator share cores';

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// --- child processes with an IPC channel ---------------------------------------------------------
const children = new Set();
function spawnIpc(cmd, args, options) {
  const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const ready = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}`)));
  });
  return { child, ready };
}
const ask = (child, message, pick) =>
  new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`a child process exited (${code}) mid-run`));
    const onMessage = (m) => {
      if (!pick(m)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (m.error) reject(new Error(m.error));
      else resolve(m);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(message);
  });

// --- redis-server ----------------------------------------------------------------------------
const redisPort = await freePort();
const REDIS_URL = `redis://127.0.0.1:${redisPort}`;
const [redisCmd, redisArgs] = pinned(SERVER_CPUS, 'redis-server', [
  '--port',
  String(redisPort),
  '--bind',
  '127.0.0.1',
  '--save',
  '',
  '--appendonly',
  'no',
]);
const redisServer = spawn(redisCmd, redisArgs, { stdio: 'ignore' });
// Interrupted (Ctrl-C, a timeout): stop what this run started.
let exampleGroup;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of children) child.kill();
    redisServer.kill();
    if (exampleGroup) {
      try {
        process.kill(-exampleGroup, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    process.exit(130);
  });
}

let admin;
for (let i = 0; !admin; i += 1) {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  client.on('error', () => {}); // refused while redis-server starts: expected
  try {
    await client.connect();
    admin = client;
  } catch {
    client.disconnect();
    if (i > 50) throw new Error('redis-server did not start (is it on PATH?)');
    await sleep(100);
  }
}
const redisVersion = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1];

// Commands since the last RESETSTAT, without the bench's own (INFO, CONFIG, ...).
const OWN = new Set(['info', 'config', 'flushall', 'memory', 'scan', 'monitor', 'ping', 'client']);
async function commandCount() {
  const stats = await admin.info('commandstats');
  return [...stats.matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)]
    .filter(([, name]) => !OWN.has(name.split('|')[0]))
    .reduce((sum, [, , n]) => sum + Number(n), 0);
}

// --- cookie jar and the sign-in flows ---------------------------------------------------------
class Jar {
  cookies = new Map();
  take(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=(0|-)/i.test(a)) || value === '';
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
  get header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  fetch(url, init = {}) {
    return fetch(url, {
      redirect: 'manual',
      ...init,
      headers: { ...init.headers, cookie: this.header },
    }).then((res) => this.take(res));
  }
}

/** Where the stack sends the browser to sign in: the provider's authorization URL. */
const startSignIn = {
  async socialauth(base, jar) {
    return (await jar.fetch(`${base}/auth/google`)).headers.get('location');
  },
  async 'passport-touch'(base, jar) {
    return (await jar.fetch(`${base}/auth/google`)).headers.get('location');
  },
  async 'better-auth'(base, jar) {
    const res = await jar.fetch(`${base}/api/auth/sign-in/social`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ provider: 'emulator', callbackURL: '/' }),
    });
    const body = await res.json();
    if (!body.url) throw new Error(`better-auth sign-in: ${JSON.stringify(body)}`);
    return body.url;
  },
  async authjs(base, jar) {
    const { csrfToken } = await (await jar.fetch(`${base}/auth/csrf`)).json();
    const res = await jar.fetch(`${base}/auth/signin/emulator`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${base}/` }),
    });
    return res.headers.get('location');
  },
};
startSignIn['passport-notouch'] = startSignIn['passport-touch'];

/**
 * A full sign-in over HTTP: the stack's start, the emulator's consent page (approved), the
 * stack's callback. `onCallback` wraps the callback request (to watch Redis during it).
 */
async function signIn(stack, base, onCallback = (f) => f(), { check = true } = {}) {
  const jar = new Jar();
  const authorize = await startSignIn[stack.kind](base, jar);
  if (!authorize) throw new Error(`${stack.kind}: sign-in did not redirect to the provider`);
  const back = new URL(await approveConsent(authorize));
  if (back.searchParams.has('error')) throw new Error(`${stack.kind}: ${back}`);
  const done = await onCallback(() => jar.fetch(`${base}${back.pathname}${back.search}`));
  if (done.status >= 400) throw new Error(`${stack.kind}: callback answered ${done.status}`);
  if (!check) return jar;
  const me = await jar.fetch(`${base}/me`);
  if (me.status !== 200)
    throw new Error(`${stack.kind}: GET /me answered ${me.status} after sign-in`);
  return jar;
}

/** A Redis key for the report: long random parts elided. */
const shortKey = (key) =>
  key
    .split(':')
    .map((part) =>
      /^[a-z]+(-[a-z]+)*$/.test(part) ? part : part.replace(/^((?:[a-z]+-)*).+$/, '$1…'),
    )
    .join(':');

/** Redis keys a stack's session lives in (its account records aside). */
const SESSION_KEY = {
  socialauth: /^socialauth:sess:/,
  'passport-touch': /^passport:sess:/,
  'passport-notouch': /^passport:sess:/,
  'better-auth': /^better-auth:/,
};
const WRITES =
  /^(set|setex|psetex|hset|hmset|hsetnx|del|unlink|expire|pexpire|getdel|incr|sadd|srem|zadd|zrem|rpush|lpush|eval|evalsha)$/i;

/** One sign-in with MONITOR on during its callback request: the Redis commands it sent. */
async function watchCallback(stack, base) {
  const seen = [];
  await signIn(stack, base, async (callback) => {
    const monitor = await admin.monitor();
    monitor.on('monitor', (_time, args) => seen.push(args));
    await sleep(50);
    try {
      return await callback();
    } finally {
      await sleep(50);
      monitor.disconnect();
    }
  });
  const writes = seen.filter(([name]) => WRITES.test(name));
  const sessionKey = SESSION_KEY[stack.kind];
  return {
    commands: seen.length,
    writes: writes.length,
    sessionWrites: sessionKey ? writes.filter(([, key]) => sessionKey.test(key ?? '')).length : 0,
    names: seen
      .map(
        ([name, key]) => `${name.toUpperCase()}${/:/.test(key ?? '') ? ` ${shortKey(key)}` : ''}`,
      )
      .join(', '),
  };
}

// --- servers ----------------------------------------------------------------------------------
// The stacks run with NODE_ENV=production, where socialauth refuses the emulator's public
// credentials (they prove nothing): the bench registers a Google client of its own.
const CLIENT = { clientId: 'bench-google-client-id', clientSecret: 'bench-google-client-secret' };
const emulator = await startEmulator({ port: 0, clients: [{ provider: 'google', ...CLIENT }] });
const [loadCmd, loadArgs] = pinned(LOAD_CPUS, process.execPath, ['load.mjs']);
const load = spawnIpc(loadCmd, loadArgs, { cwd: HERE });
await load.ready;
let loadId = 0;
const cannon = async (options) => {
  const id = (loadId += 1);
  const { result } = await ask(load.child, { id, options }, (m) => m.id === id);
  return result;
};

const servers = {};
for (const stack of stacks) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const [cmd, args] = pinned(SERVER_CPUS, process.execPath, ['app.mjs', stack.kind]);
  const { child, ready } = spawnIpc(cmd, args, {
    cwd: HERE,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      BASE_URL: base,
      REDIS_URL,
      EMULATOR_ORIGIN: emulator.origin,
      CLIENT_ID: CLIENT.clientId,
      CLIENT_SECRET: CLIENT.clientSecret,
    },
  });
  await ready;
  servers[stack.kind] = { base, child };
}
/** The server's CPU time so far (µs, user + system) and the requests it has received. */
const usage = async (kind) => {
  const { cpu, served } = await ask(servers[kind].child, { cpu: true }, (m) => m.cpu);
  return { cpu: cpu.user + cpu.system, served };
};
const cpuMicros = async (kind) => (await usage(kind)).cpu;

async function cleanup() {
  for (const child of children) child.kill();
  await emulator.stop().catch(() => {});
  admin.disconnect();
  redisServer.kill();
}

const results = Object.fromEntries(stacks.map((s) => [s.kind, []]));
const extras = {};
const storedRuns = [];
try {
  // --- authenticated GET /me, rounds in rotated order --------------------------------------------
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = stacks.map((_, i) => stacks[(i + round) % stacks.length]);
    for (const stack of order) {
      const { base } = servers[stack.kind];
      await admin.flushall();
      const cookie = stack.signIn ? (await signIn(stack, base)).header : 'bench=anonymous';
      const request = { url: `${base}/me`, headers: { cookie }, connections: CONNECTIONS };
      await cannon({ ...request, duration: WARMUP });
      await admin.config('RESETSTAT');
      const before = await usage(stack.kind);
      const r = await cannon({ ...request, duration: SECONDS });
      await sleep(100); // the requests still in flight when the run ended
      const after = await usage(stack.kind);
      const commands = await commandCount();
      const cpu = after.cpu - before.cpu;
      const served = after.served - before.served;
      if (r.non2xx || r.errors || r.timeouts) {
        throw new Error(
          `${stack.kind}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`,
        );
      }
      const rps = r.ok / r.seconds;
      results[stack.kind].push({
        rps,
        p99: r.p99,
        cpuPerRequest: cpu / served,
        commandsPerRequest: commands / served,
      });
      console.error(
        `round ${round + 1}/${ROUNDS} ${stack.kind.padEnd(16)} ${rps.toFixed(0).padStart(6)} req/s, ` +
          `p99 ${r.p99} ms, ${(cpu / served).toFixed(0)} µs CPU/req, ` +
          `${(commands / served).toFixed(2)} Redis commands/req`,
      );
    }
  }

  // --- p99 against the number of stored sessions (socialauth) ------------------------------------
  // Copies of a real signed-in session (same size, same lifetime) fill Redis to each level; then
  // the signed-in user's GET /me is measured as above.
  for (const stored of STORED) {
    const { base } = servers.socialauth;
    await admin.flushall();
    const cookie = (await signIn(stacks[0], base)).header;
    const [key] = await admin.keys('socialauth:sess:*');
    const value = await admin.get(key);
    const ttl = await admin.pttl(key);
    const id = key.slice('socialauth:sess:'.length);
    const FILL = `for i = tonumber(ARGV[1]), tonumber(ARGV[2]) do
      redis.call('SET', 'socialauth:sess:' .. string.format('%0${id.length}d', i), ARGV[3], 'PX', ARGV[4])
    end`;
    for (let from = 1; from < stored; from += 100_000) {
      await admin.eval(FILL, 0, from, Math.min(stored - 1, from + 99_999), value, ttl);
    }
    const keys = await admin.dbsize();
    const request = { url: `${base}/me`, headers: { cookie }, connections: CONNECTIONS };
    await cannon({ ...request, duration: WARMUP });
    const r = await cannon({ ...request, duration: SECONDS });
    if (r.non2xx || r.errors || r.timeouts) throw new Error(`stored ${stored}: failed requests`);
    storedRuns.push({ stored, keys, p99: r.p99, p50: r.p50, rps: r.ok / r.seconds });
    console.error(
      `${stored} stored sessions (${keys} keys): ${(r.ok / r.seconds).toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`,
    );
  }

  // --- single-round figures ---------------------------------------------------------------------
  for (const stack of stacks.filter((s) => s.signIn)) {
    const { base } = servers[stack.kind];
    await admin.flushall();
    // Redis during one callback, seen by MONITOR (only for this request: it slows Redis down):
    // a new user's first sign-in, on an empty Redis.
    const first = await watchCallback(stack, base);
    // Bytes per signed-in session: MEMORY USAGE of the keys the session keeps, right after one
    // sign-in on an empty Redis (the user's account records are not counted).
    const SESSION_KEYS = {
      socialauth: /^socialauth:(sess|user-sessions):/,
      'passport-touch': /^passport:sess:/,
      'passport-notouch': /^passport:sess:/,
      'better-auth': /^better-auth:/,
    }[stack.kind];
    const keys = await admin.keys('*');
    let sessionBytes = 0;
    const sessionKeys = [];
    for (const key of keys.sort()) {
      if (!SESSION_KEYS?.test(key)) continue;
      sessionBytes += Number(await admin.memory('USAGE', key, 'SAMPLES', '0'));
      sessionKeys.push(shortKey(key));
    }

    // The same user signing in again (the usual case).
    const again = await watchCallback(stack, base);

    // Anonymous requests (no cookie): Redis commands each.
    await admin.config('RESETSTAT');
    const ANON = 200;
    for (let i = 0; i < ANON; i += 1) {
      const res = await fetch(`${base}/me`);
      await res.arrayBuffer();
      if (res.status !== 401)
        throw new Error(`${stack.kind}: anonymous GET /me answered ${res.status}`);
    }
    const anonymous = (await commandCount()) / ANON;

    // Full sign-in: server CPU per flow over FLOWS sequential flows (after a few to warm up).
    for (let i = 0; i < 5; i += 1) await signIn(stack, base);
    const before = await cpuMicros(stack.kind);
    const started = performance.now();
    for (let i = 0; i < FLOWS; i += 1) await signIn(stack, base, undefined, { check: false });
    const flowMs = (performance.now() - started) / FLOWS;
    const flowCpu = ((await cpuMicros(stack.kind)) - before) / FLOWS;

    extras[stack.kind] = {
      first,
      again,
      sessionBytes: SESSION_KEYS ? sessionBytes : undefined,
      sessionKeys,
      anonymous,
      flowCpu,
      flowMs,
    };
    console.error(
      `${stack.kind.padEnd(16)} sign-in ${flowCpu.toFixed(0)} µs CPU/flow, callback ` +
        `${first.commands}/${again.commands} Redis commands (${first.writes}/${again.writes} writes), ` +
        `${sessionBytes} session bytes, ` +
        `${anonymous} commands/anonymous request`,
    );
  }
} finally {
  await cleanup();
}

// --- example app: time to first 200 -------------------------------------------------------------
async function firstOk(cmd, args, cwd) {
  const port = await freePort();
  const started = performance.now();
  // On every core, as a newcomer runs it (this script itself is pinned to the load core).
  const [command, argv] = pinned(`0-${cores - 1}`, cmd, args);
  const child = spawn(command, argv, {
    cwd,
    env: { ...process.env, PORT: String(port), REDIS_URL: '', NODE_ENV: 'development' },
    stdio: 'ignore',
    detached: true, // its own process group: pnpm, tsx and node all stop together
  });
  exampleGroup = child.pid;
  // The example listens before its app is attached (and answers 503 until then); an example that
  // let such a request wait would not stall this either: a new request goes out every 10 ms
  // without waiting for the earlier ones.
  try {
    return await new Promise((resolve) => {
      const poll = setInterval(() => {
        if (performance.now() - started > 30_000) return done(undefined);
        fetch(`http://localhost:${port}/`, { signal: AbortSignal.timeout(30_000) })
          .then(async (res) => {
            await res.arrayBuffer();
            if (res.status === 200) done(performance.now() - started);
          })
          .catch(() => {}); // not listening yet
      }, 10);
      function done(ms) {
        clearInterval(poll);
        resolve(ms);
      }
    });
  } finally {
    exampleGroup = undefined;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await sleep(200);
  }
}
const exampleDir = fileURLToPath(new URL('../examples/basic/', import.meta.url));
const tsx = fileURLToPath(new URL('../examples/basic/node_modules/.bin/tsx', import.meta.url));
const example = {
  pnpmStart: await firstOk('pnpm', ['start'], ROOT),
  tsx: await firstOk(tsx, ['src/server.ts'], exampleDir),
};

// --- report ------------------------------------------------------------------------------------
const fmt = (n, digits = 2) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));
const verdict = (ok) => (ok ? 'met' : '**not met**');
const sa = results.socialauth;
const lines = [];
lines.push(
  `### Authenticated \`GET /me\` (${CONNECTIONS} connections, ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} × ${SECONDS} s after ${WARMUP} s warm-up, rotated order)`,
  '',
  '| stack | req/s (median) | p99 ms (median) | server CPU µs/req | Redis commands/req | socialauth / stack: median [min–max] | target |',
  '| --- | ---: | ---: | ---: | ---: | --- | --- |',
);
const ratios = {};
for (const stack of stacks) {
  const rs = results[stack.kind];
  const row = [
    stack.label,
    fmt(median(rs.map((x) => x.rps)), 0),
    fmt(median(rs.map((x) => x.p99)), 0),
    fmt(median(rs.map((x) => x.cpuPerRequest)), 0),
    fmt(median(rs.map((x) => x.commandsPerRequest))),
  ];
  if (stack.kind === 'socialauth') {
    const cmds = median(rs.map((x) => x.commandsPerRequest));
    row.push('–', `≤ 1 Redis command/request: ${verdict(cmds <= 1.005)}`);
  } else {
    const paired = rs.map((x, i) => sa[i].rps / x.rps);
    const mid = median(paired);
    ratios[stack.kind] = mid;
    row.push(
      `${fmt(mid)} [${fmt(Math.min(...paired))}–${fmt(Math.max(...paired))}]`,
      stack.target ? `≥ ${stack.target}: ${verdict(mid >= stack.target)}` : '',
    );
  }
  lines.push(`| ${row.join(' | ')} |`);
}
const e = extras;
const flowRatio = e.socialauth && e.authjs ? e.socialauth.flowCpu / e.authjs.flowCpu : undefined;
lines.push(
  '',
  `### Sign-in and Redis (one round each; ${FLOWS} sign-in flows per stack, driven over HTTP through the emulator)`,
  '',
  '| stack | sign-in server CPU µs/flow | Redis commands per callback, new user / returning (writes; to the session key) | bytes per signed-in session | Redis commands per anonymous request |',
  '| --- | ---: | --- | ---: | ---: |',
);
for (const stack of stacks.filter((s) => e[s.kind])) {
  const x = e[stack.kind];
  lines.push(
    `| ${stack.label} | ${fmt(x.flowCpu, 0)} | ${x.first.commands} (${x.first.writes}; ${x.first.sessionWrites}) / ${x.again.commands} (${x.again.writes}; ${x.again.sessionWrites}) | ${x.sessionBytes ?? '– (cookie)'} | ${fmt(x.anonymous)} |`,
  );
}
const s = e.socialauth;
// "Flat": the largest level's p99 within 25 % (or 2 ms) of the smallest's.
function storedLine() {
  if (storedRuns.length < 2)
    return '| p99 flat from 1k to 1M stored sessions | not measured | n/a |';
  const [low, high] = [storedRuns[0], storedRuns.at(-1)];
  const flat = high.p99 <= Math.max(low.p99 * 1.25, low.p99 + 2);
  const fig = storedRuns.map((x) => `${x.stored.toLocaleString('en')}: ${x.p99} ms`).join(', ');
  return `| p99 flat from ${low.stored.toLocaleString('en')} to ${high.stored.toLocaleString('en')} stored sessions (socialauth) | ${fig} | ${verdict(flat)} |`;
}
lines.push(
  '',
  '| target | figure | |',
  '| --- | --- | --- |',
  `| sign-in server CPU per flow ≤ 0.5× @auth/express's | ${fmt(flowRatio)}× | ${flowRatio === undefined ? 'n/a' : verdict(flowRatio <= 0.5)} |`,
  `| ≤ 400 bytes per signed-in session (MEMORY USAGE) | ${s?.sessionBytes} B | ${verdict(s?.sessionBytes <= 400)} |`,
  `| one Redis command per authenticated request | ${fmt(median(sa.map((x) => x.commandsPerRequest)))} | ${verdict(median(sa.map((x) => x.commandsPerRequest)) <= 1.005)} |`,
  `| no Redis command for an anonymous request | ${fmt(s?.anonymous)} | ${verdict(s?.anonymous === 0)} |`,
  `| at most one session write per callback (new user / returning) | ${s?.first.sessionWrites} / ${s?.again.sessionWrites} | ${verdict(Math.max(s?.first.sessionWrites, s?.again.sessionWrites) <= 1)} |`,
  storedLine(),
  `| example app first 200 < 1 s (\`pnpm start\`) | ${fmt(example.pnpmStart, 0)} ms (its \`tsx src/server.ts\` alone: ${fmt(example.tsx, 0)} ms) | ${verdict(example.pnpmStart < 1000)} |`,
  '',
  `socialauth's callback for a returning user, in order: ${s?.again.names || 'n/a'}.`,
  '',
  'Session keys counted: ' +
    Object.entries(e)
      .filter(([, x]) => x.sessionKeys.length)
      .map(([k, x]) => `${k} ${x.sessionKeys.map((key) => `\`${key}\``).join(', ')}`)
      .join('; ') +
    '.',
);
const cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';
const date = new Date();
const machine = [
  `${date.toISOString()}, ${cpuModel}, ${cores} cores, Node ${process.version}, Redis ${redisVersion}, ${os.platform()} ${os.release()}`,
  `${pinNote}; ${ROUNDS} round${ROUNDS === 1 ? '' : 's'}, ${SECONDS} s measured after ${WARMUP} s warm-up per stack and round; ${CONNECTIONS} connections, one cookie from a real sign-in per stack and round.`,
  'Every stack with sessions signs in for real through the emulator’s Google (authorization code, consent page, token exchange): no forged cookie.',
  'Ratios are paired per round (round i socialauth req/s ÷ round i stack req/s). Server CPU is the server process’s user + system time (getrusage) over the requests it answered. Targets are reported, never asserted.',
];
const perRound = [
  '',
  '<details><summary>req/s per round</summary>',
  '',
  `| stack | ${results.socialauth.map((_, i) => `round ${i + 1}`).join(' | ')} |`,
  `| --- | ${results.socialauth.map(() => '---:').join(' | ')} |`,
  ...stacks.map(
    (st) => `| ${st.kind} | ${results[st.kind].map((x) => x.rps.toFixed(0)).join(' | ')} |`,
  ),
  '',
  '</details>',
].join('\n');
const table = lines.join('\n');
const report = `# socialauth bench, ${date.toISOString().slice(0, 10)}\n\n${machine.join('\n\n')}\n\n${table}\n${perRound}\n`;
console.log(
  `\n${machine.join('\n')}\n\n${table}\n\n\`pnpm bench\` (BENCH_ROUNDS=1 BENCH_SECONDS=2 for a smoke run)`,
);
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const file = new URL(`${date.toISOString().slice(0, 10)}.md`, dir);
writeFileSync(file, report);
writeFileSync(
  new URL('latest.json', dir),
  JSON.stringify(
    { date: date.toISOString(), machine, results, extras, storedRuns, example, ratios },
    null,
    2,
  ),
);
console.error(`written ${fileURLToPath(file)}`);
