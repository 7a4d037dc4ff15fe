import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Router } from 'express';
import { ClientRegistry } from './clients';
import { CONSENT_PATH, ConsentFlow } from './consent';
import { DEFAULT_CLIENTS, DEFAULT_USERS } from './defaults';
import { sendErrorPage } from './html';
import { createSigningKey } from './keys';
import { createGoogleProvider } from './providers/google';
import { ExpiringMap, TokenStore, type AuthorizationCode } from './state';
import type {
  Emulator,
  EmulatorEndpoint,
  EmulatorOptions,
  GoogleUser,
  ProviderName,
} from './types';

/** What each provider contributes: its routes, and which path is which endpoint for counting. */
export interface ProviderModule {
  readonly name: ProviderName;
  readonly paths: ReadonlyMap<string, EmulatorEndpoint>;
  readonly router: Router;
}

/**
 * Starts an emulator on `options.port` (default 0, a free port) and `options.host` (default
 * 127.0.0.1). See {@link Emulator} for what the returned handle offers.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator();
 * const discovery = await fetch(`${emulator.origin}/.well-known/openid-configuration`).then((r) => r.json());
 * await emulator.stop();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const now = options.now ?? Date.now;
  const clients = new ClientRegistry();
  clients.register({ provider: 'google', ...DEFAULT_CLIENTS.google });
  for (const client of options.clients ?? []) clients.register(client);
  const googleUsers = freezeUsers(options.users?.google ?? DEFAULT_USERS.google);
  const key = await createSigningKey();

  const server = createServer();
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const origin = originOf(server.address() as AddressInfo);

  const counts = new Map<string, number>();
  const count = (provider: ProviderName, endpoint: EmulatorEndpoint) => {
    const name = `${provider}:${endpoint}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  };
  const consent = new ConsentFlow(now, count);
  const providers = [
    createGoogleProvider({
      issuer: origin,
      origin,
      now,
      clients,
      consent,
      codes: new ExpiringMap<AuthorizationCode>(now),
      tokens: new TokenStore(now),
      key,
      users: googleUsers,
    }),
  ];
  server.on('request', buildApp(providers, consent, count));

  let stopped: Promise<void> | undefined;
  return {
    origin,
    stop: () => (stopped ??= close(server)),
    registerClient: (client) => clients.register(client),
    count: (provider, endpoint) => counts.get(`${provider}:${endpoint}`) ?? 0,
    resetCounts: () => counts.clear(),
    users: () => googleUsers,
  };
}

function buildApp(
  providers: readonly ProviderModule[],
  consent: ConsentFlow,
  count: (provider: ProviderName, endpoint: EmulatorEndpoint) => void,
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  // Counted before routing, so rejected requests (wrong method included) show up too.
  app.use((req, _res, next) => {
    for (const provider of providers) {
      const endpoint = provider.paths.get(req.path);
      if (endpoint) count(provider.name, endpoint);
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

function freezeUsers(users: readonly GoogleUser[]): readonly GoogleUser[] {
  const subs = new Set<string>();
  for (const user of users) {
    if (typeof user.sub !== 'string' || user.sub === '') {
      throw new TypeError('user.sub must be a non-empty string');
    }
    if (subs.has(user.sub)) throw new TypeError(`user.sub is duplicated: ${user.sub}`);
    subs.add(user.sub);
  }
  return Object.freeze(users.map((user) => Object.freeze({ ...user })));
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

function originOf(address: AddressInfo): string {
  // A wildcard bind is reachable on loopback; a browser cannot use 0.0.0.0 or :: as a host.
  const host =
    address.address === '0.0.0.0'
      ? '127.0.0.1'
      : address.address === '::'
        ? '::1'
        : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets would otherwise hold close() open until they time out.
    server.closeAllConnections();
  });
}
