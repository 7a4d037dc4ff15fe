// Benchmark: requests per second of an authenticated GET through socialAuth versus hand-wired
// express-session + passport, both on one local redis-server, each app in its own process, run
// alternately. Reports the ratio and Redis commands per request. Not a test: no thresholds.
//   pnpm --filter @socialauth/bench bench   (after `pnpm build`; needs redis-server on PATH)
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import Redis from 'ioredis';
import { approveConsent, startEmulator } from '@socialauth/emulator';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Number(process.env.SECONDS ?? 5);
const CONNECTIONS = 10;

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

function start(cmd, args, env) {
  const child = spawn(cmd, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      if (String(d).includes('READY')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${cmd} exited ${code}`)));
  });
}

const cookieFrom = (res) =>
  (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');

const redisPort = await freePort();
const redisServer = spawn(
  'redis-server',
  ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  { stdio: 'ignore' },
);
// Ready when it answers.
let admin;
for (let i = 0; ; i += 1) {
  const client = new Redis(`redis://127.0.0.1:${redisPort}`, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  client.on('error', () => {}); // refused while redis-server starts: expected
  try {
    await client.connect();
    admin = client;
    break;
  } catch {
    client.disconnect();
    if (i > 50) throw new Error('redis-server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}
const REDIS_URL = `redis://127.0.0.1:${redisPort}`;
const emulator = await startEmulator({ port: 0 });

const apps = {};
const children = [];
try {
  for (const kind of ['socialauth', 'baseline']) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    children.push(
      await start('node', ['app.mjs', kind], {
        PORT: String(port),
        BASE_URL: url,
        REDIS_URL,
        EMULATOR_ORIGIN: emulator.origin,
      }),
    );
    apps[kind] = { url };
  }

  // socialauth: a real sign-in against the emulator.
  {
    const { url } = apps.socialauth;
    const started = await fetch(`${url}/auth/google`, { redirect: 'manual' });
    const pending = cookieFrom(started);
    const back = new URL(await approveConsent(started.headers.get('location')));
    const done = await fetch(`${url}${back.pathname}${back.search}`, {
      redirect: 'manual',
      headers: { cookie: pending },
    });
    apps.socialauth.cookie = cookieFrom(done);
  }
  // baseline: what its strategy's callback would have established.
  apps.baseline.cookie = cookieFrom(await fetch(`${apps.baseline.url}/login`, { method: 'POST' }));
  for (const [kind, app] of Object.entries(apps)) {
    const me = await fetch(`${app.url}/me`, { headers: { cookie: app.cookie } });
    if (me.status !== 200) throw new Error(`${kind}: GET /me answered ${me.status}`);
  }

  // Warm up both (JIT, connection pools) before anything is counted.
  for (const app of Object.values(apps)) {
    await autocannon({
      url: `${app.url}/me`,
      headers: { cookie: app.cookie },
      connections: CONNECTIONS,
      duration: 2,
    });
  }
  const results = { socialauth: [], baseline: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const kind of round % 2 ? ['baseline', 'socialauth'] : ['socialauth', 'baseline']) {
      const app = apps[kind];
      await admin.config('RESETSTAT');
      const r = await autocannon({
        url: `${app.url}/me`,
        headers: { cookie: app.cookie },
        connections: CONNECTIONS,
        duration: SECONDS,
      });
      const stats = await admin.info('commandstats');
      const calls = [...stats.matchAll(/cmdstat_(\w+):calls=(\d+)/g)]
        .filter(([, name]) => !['info', 'config'].includes(name))
        .reduce((sum, [, , n]) => sum + Number(n), 0);
      const requests = r.requests.total;
      if (r.non2xx) throw new Error(`${kind}: ${r.non2xx} non-2xx answers`);
      results[kind].push({ rps: r.requests.average, commandsPerRequest: calls / requests });
      console.log(
        `round ${round + 1} ${kind.padEnd(10)} ${r.requests.average.toFixed(0)} req/s, ${(calls / requests).toFixed(2)} Redis commands/request`,
      );
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const sa = median(results.socialauth.map((x) => x.rps));
  const base = median(results.baseline.map((x) => x.rps));
  const summary = {
    date: new Date().toISOString(),
    rounds: ROUNDS,
    secondsPerRun: SECONDS,
    connections: CONNECTIONS,
    socialauthRps: Math.round(sa),
    baselineRps: Math.round(base),
    ratio: Number((sa / base).toFixed(2)),
    socialauthCommandsPerRequest: median(results.socialauth.map((x) => x.commandsPerRequest)),
    baselineCommandsPerRequest: median(results.baseline.map((x) => x.commandsPerRequest)),
  };
  console.log(`\nsocialauth / baseline throughput: ${summary.ratio}x (target 1.2x)`);
  console.log(JSON.stringify(summary));
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('./results/latest.json', import.meta.url),
    JSON.stringify(summary, null, 2),
  );
} finally {
  for (const c of children) c.kill();
  await emulator.stop();
  admin.disconnect();
  redisServer.kill();
}
