// One stack per process, chosen by argv[2]. Each serves an authenticated `GET /me` behind its own
// equivalent of requireAuth (401 without a session) that answers `{ id }`, and signs users in for
// real through the provider emulator's Google (EMULATOR_ORIGIN) where the stack has sign-in:
//
//   socialauth        socialAuth() + google(), sessions and accounts in Redis (redisSession)
//   express           bare Express 5: no session, no sign-in; /me answers a fixed id
//   passport-touch    express-session + connect-redis + passport + passport-google-oauth20,
//                     hand-wired the usual way (connect-redis touches: EXPIRE on every request)
//   passport-notouch  the same with connect-redis `disableTouch` (one GET per request)
//   better-auth       better-auth, Redis secondary storage (ioredis), users in its memory adapter,
//                     genericOAuth() on the emulator's discovery document
//   authjs            @auth/express (Auth.js), JWT session, an OIDC provider on the emulator
//
// The parent talks over IPC: it receives { ready: port } once listening, and answers
// { cpu: true } with process.cpuUsage() (getrusage: user + system time of the whole process).
import express from 'express';
import Redis from 'ioredis';

const kind = process.argv[2];
const PORT = Number(process.env.PORT);
const BASE_URL = process.env.BASE_URL;
const REDIS_URL = process.env.REDIS_URL;
const EMULATOR = process.env.EMULATOR_ORIGIN;
const SECRET = 'bench-session-secret-0123456789abcdef';
const CLIENT = { id: process.env.CLIENT_ID, secret: process.env.CLIENT_SECRET };
const GOOGLE = {
  discovery: `${EMULATOR}/.well-known/openid-configuration`,
  authorize: `${EMULATOR}/o/oauth2/v2/auth`,
  token: `${EMULATOR}/token`,
  userinfo: `${EMULATOR}/v1/userinfo`,
  issuer: 'https://accounts.google.com',
};
// The same client settings everywhere a stack makes its own ioredis client.
const redisClient = () => new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });

const app = express();
app.disable('x-powered-by');
const unauthenticated = (res) => res.status(401).json({ error: 'unauthenticated' });

const stacks = {
  async socialauth() {
    const { socialAuth, requireAuth, redisSession, redisAccounts } =
      await import('@socialauth/core');
    const { google } = await import('@socialauth/google');
    app.use(
      socialAuth({
        baseURL: BASE_URL,
        secret: SECRET,
        providers: [google({ clientId: CLIENT.id, clientSecret: CLIENT.secret, origin: EMULATOR })],
        session: { store: redisSession({ url: REDIS_URL }) },
        accounts: redisAccounts({ url: REDIS_URL }),
        rateLimit: false,
        logger: false,
      }),
    );
    app.get('/me', requireAuth(), (req, res) => res.json({ id: req.user.id }));
  },

  async express() {
    app.get('/me', (_req, res) => res.json({ id: 'u1' }));
  },

  async 'passport-touch'() {
    await passportStack({ disableTouch: false });
  },

  async 'passport-notouch'() {
    await passportStack({ disableTouch: true });
  },

  async 'better-auth'() {
    const { betterAuth } = await import('better-auth');
    const { genericOAuth } = await import('better-auth/plugins');
    const { toNodeHandler, fromNodeHeaders } = await import('better-auth/node');
    const redis = redisClient();
    const prefix = 'better-auth:';
    const auth = betterAuth({
      baseURL: BASE_URL,
      secret: SECRET,
      // No database: users and accounts in better-auth's memory adapter; sessions in Redis.
      secondaryStorage: {
        get: (key) => redis.get(prefix + key),
        set: (key, value, ttl) =>
          ttl ? redis.set(prefix + key, value, 'EX', ttl) : redis.set(prefix + key, value),
        delete: (key) => redis.del(prefix + key),
      },
      rateLimit: { enabled: false },
      telemetry: { enabled: false },
      logger: { disabled: true },
      plugins: [
        genericOAuth({
          config: [
            {
              providerId: 'emulator',
              discoveryUrl: GOOGLE.discovery,
              clientId: CLIENT.id,
              clientSecret: CLIENT.secret,
              scopes: ['openid', 'email', 'profile'],
              pkce: true,
            },
          ],
        }),
      ],
    });
    app.all('/api/auth/*splat', toNodeHandler(auth));
    app.get('/me', async (req, res, next) => {
      try {
        const found = await auth.api.getSession({ headers: fromNodeHeaders(req.headers) });
        if (!found) return unauthenticated(res);
        res.json({ id: found.user.id });
      } catch (err) {
        next(err);
      }
    });
  },

  async authjs() {
    const { ExpressAuth, getSession } = await import('@auth/express');
    const config = {
      secret: SECRET,
      trustHost: true,
      session: { strategy: 'jwt' },
      providers: [
        {
          id: 'emulator',
          name: 'Emulator (Google)',
          type: 'oidc',
          // The emulator's ID tokens carry Google's issuer; its endpoints are on its own origin.
          issuer: GOOGLE.issuer,
          clientId: CLIENT.id,
          clientSecret: CLIENT.secret,
          authorization: { url: GOOGLE.authorize, params: { scope: 'openid email profile' } },
          token: GOOGLE.token,
          userinfo: GOOGLE.userinfo,
          checks: ['pkce', 'state', 'nonce'],
        },
      ],
      callbacks: {
        session: ({ session, token }) => ({ ...session, user: { ...session.user, id: token.sub } }),
      },
    };
    app.use('/auth', ExpressAuth(config));
    app.get('/me', async (req, res, next) => {
      try {
        const session = await getSession(req, config);
        if (!session?.user) return unauthenticated(res);
        res.json({ id: session.user.id });
      } catch (err) {
        next(err);
      }
    });
  },
};

async function passportStack({ disableTouch }) {
  const session = (await import('express-session')).default;
  const { RedisStore } = await import('connect-redis');
  const { Passport } = await import('passport');
  const { Strategy: GoogleStrategy } = await import('passport-google-oauth20');
  const passport = new Passport();
  const strategy = new GoogleStrategy(
    {
      clientID: CLIENT.id,
      clientSecret: CLIENT.secret,
      callbackURL: `${BASE_URL}/auth/google/callback`,
      authorizationURL: GOOGLE.authorize,
      tokenURL: GOOGLE.token,
      userProfileURL: GOOGLE.userinfo,
      state: true,
      pkce: true,
    },
    (_accessToken, _refreshToken, profile, done) =>
      done(null, { id: profile.id, name: profile.displayName, provider: 'google' }),
  );
  // The emulator's userinfo takes the token in the Authorization header only (as it should).
  strategy._oauth2.useAuthorizationHeaderforGET(true);
  passport.use(strategy);
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user, done) => done(null, user));
  app.use(
    session({
      store: new RedisStore({ client: redisClient(), prefix: 'passport:sess:', disableTouch }),
      secret: SECRET,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', maxAge: 14 * 24 * 3600 * 1000 },
    }),
  );
  app.use(passport.session());
  app.get(
    '/auth/google',
    passport.authenticate('google', { scope: ['openid', 'email', 'profile'] }),
  );
  app.get(
    '/auth/google/callback',
    passport.authenticate('google', { failureRedirect: '/signed-out' }),
    (_req, res) => res.redirect('/'),
  );
  app.get('/me', (req, res) => (req.user ? res.json({ id: req.user.id }) : unauthenticated(res)));
}

if (!stacks[kind]) {
  console.error(`unknown stack ${kind}; one of ${Object.keys(stacks).join(', ')}`);
  process.exit(2);
}
await stacks[kind]();
app.get('/', (_req, res) => res.type('text').send('ok'));

// Requests this server received (in-flight ones included, which the load generator drops from its
// count when its run ends): the divisor for CPU and Redis commands per request.
let served = 0;
process.on('message', (message) => {
  if (message?.cpu) process.send({ cpu: process.cpuUsage(), served });
});
process.on('disconnect', () => process.exit(0));
const server = app.listen(PORT, '127.0.0.1', () => process.send({ ready: server.address().port }));
server.on('request', () => {
  served += 1;
});
