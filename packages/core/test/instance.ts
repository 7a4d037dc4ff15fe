// One socialauth app in a process of its own, for tests of several instances behind one public
// origin sharing one Redis. Started by redis-instances.test.ts with the tsx binary:
//   REDIS_URL        the shared redis-server
//   EMULATOR_ORIGIN  the test's emulator (Google speaks to it)
//   BASE_URL         the public origin every instance shares (callback URLs are built from it)
//   SESSION_SECRET   the same on every instance, or one cannot read another's cookie
//   RATE_LIMIT       requests per minute per client IP on the limited routes; 0 or unset: off
//   OWN_SESSION      1: the app mounts express-session itself on connect-redis (cookie
//                    socialauth.sid), and socialauth coordinates through redisCoordination
//                    (COORDINATION=memory: memoryCoordination, one process's view)
// Prints `READY http://127.0.0.1:<port>` on stdout once it listens; logs go to stderr.
// Test-only routes: GET /google-call (the user's stored Google token calls the emulator's
// userinfo: refreshed when due) and POST /test/clock?ms= (moves this process's Date.now ahead,
// as the passing of time would for token expiry).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import { Redis } from 'ioredis';
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import {
  memoryCoordination,
  redisAccounts,
  redisCoordination,
  redisSession,
  requireAuth,
  socialAuth,
} from '../src';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`instance.ts: set ${name}`);
  return value;
}

const log = (message: string): void => void process.stderr.write(`${message}\n`);
const limit = Number(process.env.RATE_LIMIT ?? 0);
const app = express();
const own = process.env.OWN_SESSION === '1';
const ownStore = own ? new RedisStore({ client: new Redis(env('REDIS_URL')) }) : undefined;
if (ownStore) {
  app.use(
    session({
      name: 'socialauth.sid',
      store: ownStore,
      secret: env('SESSION_SECRET'),
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );
}
app.use(
  socialAuth({
    baseURL: env('BASE_URL'),
    secret: env('SESSION_SECRET'),
    providers: [
      google({ ...DEFAULT_CLIENTS.google, origin: env('EMULATOR_ORIGIN'), accessType: 'offline' }),
    ],
    session: { store: ownStore ?? redisSession({ url: env('REDIS_URL') }) },
    ...(own && {
      coordination:
        process.env.COORDINATION === 'memory'
          ? memoryCoordination()
          : redisCoordination({ url: env('REDIS_URL') }),
    }),
    accounts: redisAccounts({ url: env('REDIS_URL') }),
    rateLimit: limit > 0 ? { limit, windowMs: 60_000 } : false,
    logger: { info: log, warn: log, error: log },
  }),
);
app.get('/private', requireAuth(), (req, res) => {
  res.json({ id: req.user?.id });
});
app.get('/identities', requireAuth(), (req, res) => {
  res.json({ identities: req.user?.identities.map((i) => i.subject) });
});
app.get('/google-call', requireAuth(), async (req, res) => {
  try {
    const answer = await req.socialAuth.fetch('google', `${env('EMULATOR_ORIGIN')}/v1/userinfo`);
    res.json({ status: answer.status });
  } catch (err) {
    res.json({ error: (err as { code?: string }).code ?? String(err) });
  }
});
const realNow = Date.now.bind(Date);
let offset = 0;
Date.now = () => realNow() + offset;
app.post('/test/clock', (req, res) => {
  offset += Number(req.query.ms);
  res.json({ now: Date.now() });
});

const server = createServer(app);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`READY http://127.0.0.1:${port}\n`);
});
