// Compiled, never run, by consumer/run.mjs against the packages as npm installs them: the README's
// examples must type-check with `strict` and `skipLibCheck: false`. run.mjs copies this file to
// src/typecheck.ts (ESM under nodenext, and bundler) and src/typecheck.cts (CommonJS under
// nodenext). Addresses are loopback only; nothing here is dialled.
import express from 'express';
// As README "Topology" imports it.
import { Redis } from 'ioredis';
import {
  clientCredentials,
  oauth2,
  oidc,
  redisAccounts,
  redisSession,
  requireAuth,
  requireRecentLogin,
  requireScopes,
  socialAuth,
  type RequireRecentLoginOptions,
  inAppBrowser,
  type InAppBrowser,
  type AccountDeletion,
  type RevokeOutcome,
  type SocialProfile,
  type UserPage,
  type UserQuery,
} from '@socialauth/core';
import { migrate, postgresAccounts } from '@socialauth/postgres';
import { apple } from '@socialauth/apple';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import { naver } from '@socialauth/naver';

const app = express();

// README, first example: every provider reads its credentials from the environment.
const basic = socialAuth({
  baseURL: 'http://localhost:3000',
  secret: process.env.SESSION_SECRET!,
  providers: [google(), naver(), kakao(), apple({ appClientIds: ['com.example.app'] })],
});

// README "Redis, many instances": stores from a URL.
const fromUrl = socialAuth({
  baseURL: 'http://localhost:3000',
  secret: process.env.SESSION_SECRET!,
  providers: [google(), naver(), kakao()],
  session: { store: redisSession({ url: process.env.REDIS_URL }), maxAge: 14 * 24 * 3600 * 1000 },
  accounts: redisAccounts({ url: process.env.REDIS_URL }),
  rateLimit: { windowMs: 60_000, limit: 60 },
});

// README "Accounts and linking": a hook that trusts only a verified email.
const isSignupAllowed = (profile: SocialProfile) =>
  profile.emailVerified && (profile.email?.endsWith('@example.com') ?? false);
const withHooks = socialAuth({
  baseURL: 'http://localhost:3000',
  secret: process.env.SESSION_SECRET!,
  providers: [google()],
  hooks: { isSignupAllowed },
});
app.use('/hooked', withHooks);

// README "Topology": your own ioredis client (the README's host is sentinel-1).
const sentinel = new Redis({
  sentinels: [{ host: '127.0.0.1', port: 26379 }],
  name: 'mymaster',
  maxRetriesPerRequest: 1,
  commandTimeout: 800,
});
const fromClient = socialAuth({
  baseURL: 'http://localhost:3000',
  secret: process.env.SESSION_SECRET!,
  providers: [google(), naver(), kakao()],
  session: { store: redisSession({ client: sentinel }) },
  accounts: redisAccounts({ client: sentinel }),
});

// @ts-expect-error -- redisSession takes an ioredis client, not any object
redisSession({ client: { hello: 1 } });

app.use(process.env.REDIS_URL ? fromUrl : process.env.SENTINEL ? fromClient : basic);

// README: the one-line route.
app.get('/me', requireAuth(), (req, res) => res.json(req.user));

// req.user typed by @socialauth/core, read without a cast. requireAuth() lets only signed-in
// requests through, but Express's types cannot know that, hence the check.
app.get('/profile', requireAuth(), (req, res) => {
  if (!req.user) {
    res.sendStatus(401);
    return;
  }
  const id: string = req.user.id;
  const email: string | undefined = req.user.emailVerified ? req.user.email : undefined;
  // @ts-expect-error -- req.user is socialauth's user type, not `any`
  void req.user.notAField;
  const signedInAt: Date | undefined = req.socialAuth.authenticatedAt;
  res.json({ id, email, signedInAt });
});

// README "Sessions": listing and ending them.
app.post('/sign-out-everywhere', requireAuth(), async (req, res) => {
  const sessions = await req.socialAuth.sessions();
  const ended: number = await req.socialAuth.signOutEverywhere();
  res.json({ listed: sessions.map((s) => s.device), ended });
});
void basic.endSessions('user-id');

// README "Deleting an account" and "Admin": the hooks, deleteUser and auth.admin, typed.
const deleting = socialAuth({
  baseURL: 'http://localhost:3000',
  secret: process.env.SESSION_SECRET!,
  providers: [kakao()],
  hooks: {
    beforeDeleteUser: async ({ user, identities }) => identities.length > 0 && user.id !== '',
    onUserDeleted: ({ identities }) => {
      const outcomes: RevokeOutcome[] = identities.map((i) => i.revoke);
      void outcomes;
    },
  },
});
export async function admin(): Promise<void> {
  const deletion: AccountDeletion = await deleting.deleteUser('user-id', { force: true });
  const ended: number = deletion.sessionsEnded;
  const page: UserPage = await deleting.admin.list({ provider: 'kakao', limit: 50 });
  const query: UserQuery = { email: 'minji@example.com' };
  const more = page.next ? await deleting.admin.list({ cursor: page.next }) : undefined;
  const one = await deleting.admin.get(page.users[0]?.id ?? 'user-id');
  const disabledAt: string | undefined = one?.user.disabledAt;
  const sessions: number = await deleting.admin.disable('user-id');
  await deleting.admin.enable('user-id');
  await deleting.admin.delete('user-id');
  // @ts-expect-error -- a query is not free-form
  await deleting.admin.list({ sort: 'name' });
  void [ended, query, more, disabledAt, sessions];
}

// README "More consent later" and "Fresh sign-in for sensitive steps".
const asking = socialAuth({
  baseURL: 'http://localhost:3000',
  secret: process.env.SESSION_SECRET!,
  providers: [
    kakao({ scopes: ['openid', 'profile_nickname'] }),
    oidc({ id: 'op', issuer: 'http://127.0.0.1:4000' }),
  ],
  moreScopes: { kakao: ['phone_number', 'shipping_address'], op: ['api:read'] },
});
void asking;
const recent: RequireRecentLoginOptions = { maxAge: 300, loginPath: '/' };
app.get('/checkout', requireScopes('kakao', ['phone_number']), async (req, res) => {
  const granted: string[] = await req.socialAuth.scopes('kakao', { subject: '4242' });
  res.json({ granted });
});
app.get('/settings/payout', requireRecentLogin(recent), (req, res) => {
  const at: Date | undefined = req.socialAuth.authenticatedAt;
  res.json({ at });
});
// @ts-expect-error -- maxAge is required
requireRecentLogin({});
// @ts-expect-error -- scopes are a list
requireScopes('kakao', 'phone_number');

// README "In-app browsers" and "Provider outages".
const korean = socialAuth({
  baseURL: 'http://localhost:3000',
  secret: process.env.SESSION_SECRET!,
  providers: [kakao({ silentInKakaoTalk: true }), naver({ autoLoginInNaverApp: true }), google()],
  outage: { failures: 3, pauseMs: 30_000 },
});
void korean;
void socialAuth({
  baseURL: 'http://localhost:3000',
  secret: 'x'.repeat(32),
  providers: [],
  outage: false,
});
app.get('/where', (req, res) => {
  const browser: InAppBrowser | undefined = inAppBrowser(req.headers['user-agent']);
  res.json({ app: browser?.name.ko, os: browser?.os });
});

// README "Provider tokens".
app.get('/tokens', requireAuth(), async (req, res) => {
  const url = new URL('/v2/user/me', 'http://127.0.0.1:4000');
  const token: string = await req.socialAuth.accessToken('google');
  const answer: Response = await req.socialAuth.fetch('kakao', url);
  res.json({ token: token.length > 0, status: answer.status });
});

// README "Provider tokens": several accounts at one provider; "Stored provider data".
app.get('/second-google', requireAuth(), async (req, res) => {
  const subject = String(req.query.subject);
  const token: string = await req.socialAuth.accessToken('google', { subject });
  const answer: Response = await req.socialAuth.fetch('google', 'http://127.0.0.1:4000', {
    subject,
  });
  const data: Record<string, unknown> | undefined = await req.socialAuth.providerData('kakao');
  res.json({ token: token.length > 0, status: answer.status, data });
});

// README "Any provider by configuration" and "Production": PostgreSQL accounts, Redis Cluster
// sessions, an oidc() provider, an oauth2() one, client credentials.
export async function production(): Promise<void> {
  const url = process.env.DATABASE_URL!;
  await migrate({ url });
  const okta = oidc({ id: 'okta', name: 'Okta', issuer: 'https://example.okta.com' });
  await okta.discover();
  const github = oauth2<{ id: number; login: string }>({
    id: 'github',
    name: 'GitHub',
    authorizationURL: 'https://github.com/login/oauth/authorize',
    tokenURL: 'https://github.com/login/oauth/access_token',
    userInfoURL: 'https://api.github.com/user',
    scopes: ['read:user'],
    toProfile: (user) => ({ id: String(user.id), nickname: user.login }),
  });
  app.use(
    socialAuth({
      baseURL: 'https://app.example.com',
      secret: process.env.SESSION_SECRET!,
      providers: [google(), naver(), kakao(), okta, github],
      session: { store: redisSession({ cluster: ['10.0.0.1:6379', '10.0.0.2:6379'] }) },
      accounts: postgresAccounts({ url }),
    }),
  );
  const api = clientCredentials({
    tokenURL: 'https://sso.example.com/token',
    clientId: 'id',
    clientSecret: 'secret',
    scope: ['reports:read'],
  });
  const authorization: string = await api.authorization();
  void authorization;
}

export default app;
