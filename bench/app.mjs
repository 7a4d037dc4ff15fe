// One app per process, chosen by argv[2]: `socialauth` or `baseline` (express-session + passport,
// hand-wired the usual way). Both keep sessions in the Redis at REDIS_URL with the same client
// settings, and answer GET /me for a signed-in user. Prints "READY <port>".
import express from 'express';
import Redis from 'ioredis';

const kind = process.argv[2];
const redisURL = process.env.REDIS_URL;
const secret = 'bench-session-secret-0123456789abcdef';
const app = express();

if (kind === 'baseline') {
  const session = (await import('express-session')).default;
  const { RedisStore } = await import('connect-redis');
  const { Passport } = await import('passport');
  const passport = new Passport();
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user, done) => done(null, user));
  const client = new Redis(redisURL, { maxRetriesPerRequest: 1, commandTimeout: 800 });
  app.use(
    session({
      store: new RedisStore({ client, prefix: 'baseline:' }),
      secret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );
  app.use(passport.session());
  // Stands in for the OAuth callback: what a passport strategy would establish.
  app.post('/login', (req, res, next) =>
    req.login({ id: 'u1', name: 'Bench User', provider: 'google' }, (err) =>
      err ? next(err) : res.end(),
    ),
  );
} else {
  const { socialAuth, redisSession, redisAccounts } = await import('@socialauth/core');
  const { google } = await import('@socialauth/google');
  app.use(
    socialAuth({
      baseURL: process.env.BASE_URL,
      secret,
      providers: [
        google({
          clientId: 'emulator-google-client-id',
          clientSecret: 'emulator-google-client-secret',
          origin: process.env.EMULATOR_ORIGIN,
        }),
      ],
      session: { store: redisSession({ url: redisURL }) },
      accounts: redisAccounts({ url: redisURL }),
      rateLimit: false,
      logger: false,
    }),
  );
}
app.get('/me', (req, res) => (req.user ? res.json({ id: req.user.id }) : res.status(401).end()));

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`READY ${server.address().port}`);
});
