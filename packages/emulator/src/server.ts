import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Router } from 'express';
import { ClientRegistry } from './clients';
import { CONSENT_PATH, ConsentFlow, type Gate } from './consent';
import { DEFAULT_CLIENTS } from './defaults';
import { FaultQueue } from './faults';
import { sendErrorPage } from './html';
import { IdTokenOverrides } from './id-token-claims';
import { SIGNATURE_FAULTS, createSigningKey, resignIdToken } from './keys';
import { createGoogleProvider } from './providers/google';
import { GOOGLE_ISSUER, findUser, type GoogleContext } from './providers/google-common';
import { appIdToken } from './providers/google-id-token';
import type { KakaoContext } from './providers/kakao-common';
import { idToken as kakaoIdToken, issueAccess } from './providers/kakao-token';
import { createKakaoProvider } from './providers/kakao';
import { createNaverProvider } from './providers/naver';
import { NAVER_ITEMS } from './providers/naver-common';
import { issueGrant } from './providers/naver-token';
import { ExpiringMap, TokenStore, type Grant } from './state';
import type { Emulator, EmulatorEndpoint, EmulatorOptions, ProviderName } from './types';
import { deliver, kakaoUnlink, naverUnlink } from './unlink-notify';
import { subjectOf, userLists } from './users';

/** What each provider contributes: its routes, and which path is which endpoint for counting. */
export interface ProviderModule {
  readonly name: ProviderName;
  readonly paths: ReadonlyMap<string, EmulatorEndpoint>;
  readonly router: Router;
}

const PROVIDERS: readonly ProviderName[] = ['google', 'naver', 'kakao'];

/**
 * Starts an emulator on `options.port` (default 0, a free port) and `options.host` (default
 * 127.0.0.1). Google, Naver and Kakao share its one origin, each under its real paths. See
 * {@link Emulator} for what the returned handle offers.
 *
 * Refuses to start when `NODE_ENV` is `production` unless `allowInProduction` is set: its client
 * credentials are public defaults and any visitor can sign in as any test user. Bound to an
 * address other than loopback, it warns through `options.logger` (default: stderr) that it is
 * reachable from the network.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator();
 * const discovery = await fetch(`${emulator.origin}/.well-known/openid-configuration`).then((r) => r.json());
 * const naverLogin = `${emulator.origin}/oauth2.0/authorize?client_id=${DEFAULT_CLIENTS.naver.clientId}&...`;
 * await emulator.stop();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  // CWE-1188 (insecure default) / CWE-798 (hard-coded credentials): DEFAULT_CLIENTS are
  // published, so a deployed emulator is an identity provider anyone can sign in through.
  if (process.env.NODE_ENV === 'production' && options.allowInProduction !== true) {
    throw new Error(
      'refusing to start with NODE_ENV=production: the emulator is a test stand-in whose ' +
        'client credentials are public defaults and whose test users anyone can sign in as. ' +
        'Pass allowInProduction: true (CLI: --allow-production) if you really mean to run it here.',
    );
  }
  const logger = options.logger ?? { warn: (message: string) => console.warn(message) };
  const now = options.now ?? Date.now;
  const clients = new ClientRegistry();
  for (const provider of PROVIDERS) clients.register({ provider, ...DEFAULT_CLIENTS[provider] });
  for (const client of options.clients ?? []) clients.register(client);
  const users = userLists(options.users);
  const key = await createSigningKey();

  const server = createServer();
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const bound = server.address() as AddressInfo;
  const origin = originOf(bound);
  if (!isLoopback(bound.address)) {
    // CWE-668 (exposure to the wrong sphere): say so whenever more than this machine can reach it.
    logger.warn(
      `socialauth emulator: bound to ${hostPort(bound.address, bound.port)}, so it is reachable ` +
        'from the network, and its public default credentials with it; bind 127.0.0.1 unless ' +
        'another machine must reach it.',
    );
  }

  const counts = new Map<string, number>();
  const modules: ProviderModule[] = [];
  const faults = new FaultQueue(
    (provider, endpoint) =>
      endpoint === 'consent' ||
      modules.some((m) => m.name === provider && [...m.paths.values()].includes(endpoint)),
    { key, secretOf: (provider, clientId) => clients.find(provider, clientId)?.clientSecret },
  );
  // Counted before anything else, so rejected and faulted requests show up too.
  const gate: Gate = (provider, endpoint, res, proceed) => {
    const name = `${provider}:${endpoint}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    faults.apply(provider, endpoint, res, proceed);
  };
  const consent = new ConsentFlow(now, gate);
  const shared = { origin, now, clients, consent };
  const idTokenOverrides = new IdTokenOverrides();
  const naverTokens = new TokenStore(now);
  const kakaoTokens = new TokenStore(now);
  const kakaoLinkedAt = new Map<string, number>();
  const kakao: KakaoContext = {
    ...shared,
    codes: new ExpiringMap(now),
    tokens: kakaoTokens,
    key,
    users: users.kakao,
    linkedAt: kakaoLinkedAt,
    authTimes: new WeakMap(),
    idTokenOverrides,
  };
  const google: GoogleContext = {
    ...shared,
    issuer: GOOGLE_ISSUER,
    offlineConsents: new Set(),
    codes: new ExpiringMap(now),
    tokens: new TokenStore(now),
    key,
    users: users.google,
    idTokenOverrides,
  };
  modules.push(
    createGoogleProvider(google),
    createNaverProvider({
      ...shared,
      codes: new ExpiringMap(now),
      tokens: naverTokens,
      users: users.naver,
    }),
    createKakaoProvider(kakao),
  );
  server.on('request', buildApp(modules, consent, gate));

  let stopped: Promise<void> | undefined;
  return {
    origin,
    stop: () => {
      // Held (delayed) requests are dropped, so stop() never waits for their timers.
      faults.stop();
      return (stopped ??= close(server));
    },
    registerClient: (client) => clients.register(client),
    count: (provider, endpoint) => counts.get(`${provider}:${endpoint}`) ?? 0,
    resetCounts: () => counts.clear(),
    users: (provider) => users[provider],
    subject: (provider, userKey, clientId) => subjectOf(users, provider, userKey, clientId),
    failNext: (provider, endpoint, fault) => faults.push(provider, endpoint, fault),
    nextIdTokenClaims: (provider, override) => idTokenOverrides.push(provider, override),
    async appIdToken(provider, { user, clientId, nonce, claims, signature }) {
      const signed = (token: string) => {
        if (signature === undefined) return token;
        if (!SIGNATURE_FAULTS.includes(signature)) {
          throw new TypeError(`signature must be one of ${SIGNATURE_FAULTS.join(', ')}`);
        }
        return resignIdToken(
          token,
          signature,
          key,
          clients.find(provider, clientId)?.clientSecret ?? '',
        );
      };
      if (provider === 'kakao') {
        const account = kakao.users.find((u) => u.id === user);
        if (!account) throw new TypeError(`No kakao user ${user}`);
        const scopes = ['openid', 'profile_nickname', 'profile_image', 'account_email'];
        const grant: Grant = { provider, clientId, sub: user, scopes, revoked: false };
        if (claims) idTokenOverrides.push('kakao', claims);
        const token = await kakaoIdToken(kakao, grant, account, nonce);
        if (!token) throw new TypeError('the claims override removed the ID token');
        return signed(token);
      }
      if (provider !== 'google') throw new TypeError(`${String(provider)} issues no app ID tokens`);
      const account = findUser(google, user);
      if (!account) throw new TypeError(`No google user ${user}`);
      return signed(await appIdToken(google, account, clientId, { nonce, claims }));
    },
    appAccessToken(provider, { user, clientId, scopes }) {
      if (provider !== 'kakao') throw new TypeError(`${String(provider)} has no app SDK here`);
      if (!kakao.users.some((u) => u.id === user)) throw new TypeError(`No kakao user ${user}`);
      if (!clients.find('kakao', clientId)) throw new TypeError(`No kakao client ${clientId}`);
      // The Kakao SDK's login: the user consents in KakaoTalk, the app holds the tokens.
      const grant: Grant = {
        provider: 'kakao',
        clientId,
        sub: user,
        scopes: scopes ?? ['profile_nickname', 'profile_image'],
        revoked: false,
      };
      if (!kakaoLinkedAt.has(`${clientId}:${user}`))
        kakaoLinkedAt.set(`${clientId}:${user}`, now());
      return issueAccess(kakao, grant);
    },
    appTokens(provider, { user, clientId, items }) {
      if (provider !== 'naver') throw new TypeError(`${String(provider)} has no app tokens here`);
      if (!users.naver.some((u) => u.key === user)) throw new TypeError(`No naver user ${user}`);
      if (!clients.find('naver', clientId)) throw new TypeError(`No naver client ${clientId}`);
      // The Naver login SDK's login: the user agrees in the Naver app, the app holds the tokens.
      const scopes = items ?? NAVER_ITEMS.map(({ item }) => item);
      const grant: Grant = { provider: 'naver', clientId, sub: user, scopes, revoked: false };
      return issueGrant(naverTokens, grant);
    },
    clearFaults: () => {
      faults.clear();
      idTokenOverrides.clear();
    },
    async sendUnlink(provider, { to, user, clientId, referrerType = 'UNLINK_FROM_APPS' }) {
      const id = clientId ?? DEFAULT_CLIENTS[provider].clientId;
      const client = clients.find(provider, id);
      if (!client) throw new TypeError(`No ${provider} client ${id}`);
      const subject = subjectOf(users, provider, user, id); // throws for an unknown account
      const notification =
        provider === 'kakao'
          ? kakaoUnlink(client, subject, referrerType)
          : naverUnlink(client, subject, now());
      // The provider has unlinked before it notifies: the grants are gone already.
      const tokens = provider === 'kakao' ? kakaoTokens : naverTokens;
      tokens.revokeGrants((grant) => grant.clientId === id && grant.sub === user);
      if (provider === 'kakao') kakaoLinkedAt.delete(`${id}:${user}`);
      return { status: await deliver(to, notification) };
    },
  };
}

function buildApp(
  providers: readonly ProviderModule[],
  consent: ConsentFlow,
  gate: Gate,
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  // Paths never collide across providers, so a path names at most one provider's endpoint.
  app.use((req, res, next) => {
    for (const provider of providers) {
      const endpoint = provider.paths.get(req.path);
      if (endpoint) return gate(provider.name, endpoint, res, () => next());
    }
    next();
  });
  for (const provider of providers) app.use(provider.router);
  app.post(CONSENT_PATH, consent.handler);
  app.use((_req, res) => sendErrorPage(res, 404, 'not_found', 'The requested URL was not found.'));
  const onError: ErrorRequestHandler = (_err, _req, res, _next) => {
    if (res.headersSent) return void res.destroy();
    res.status(500).json({ error: 'server_error', error_description: 'Internal error' });
  };
  app.use(onError);
  return app;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * The origin of the address the server really bound (what `localhost` resolved to, the port
 * picked for 0). A wildcard bind is reachable on the loopback address of its family, and that is
 * the origin reported: 0.0.0.0 and :: are not addresses to connect to (RFC 1122 §3.2.1.3,
 * RFC 4291 §2.5.2), and browsers refuse them as a host.
 */
function originOf(address: AddressInfo): string {
  const host =
    address.address === '0.0.0.0'
      ? '127.0.0.1'
      : address.address === '::'
        ? '::1'
        : address.address;
  return `http://${hostPort(host, address.port)}`;
}

/** `host:port`, with an IPv6 address in brackets (RFC 3986 §3.2.2). */
function hostPort(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** 127.0.0.0/8, ::1, and IPv4-mapped 127.0.0.0/8 (RFC 1122 §3.2.1.3, RFC 4291 §2.5.3, §2.5.5.2). */
function isLoopback(address: string): boolean {
  const v4 = address.replace(/^::ffff:/i, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets would otherwise hold close() open until they time out.
    server.closeAllConnections();
  });
}
