import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import { ClientRegistry } from './clients';
import { CONSENT_PATH, ConsentFlow, type Gate } from './consent';
import type { Emulator, EmulatorOptions } from './emulator';
import { FaultQueue } from './faults';
import { sendErrorPage } from './html';
import { IdTokenOverrides } from './id-token-claims';
import { SIGNATURE_FAULTS, createSigningKey, resignIdToken, type SigningKey } from './keys';
import { close, hostPort, isLoopback, listen, originOf } from './net';
import type { EmulatorProvider, ProviderInstance } from './provider';
import { providers } from './providers';
import { signInAgent, signInBrowser } from './sign-in';
import type { EmulatorEndpoint, ProviderName } from './types';
import { deliver } from './unlink-notify';
import { subjectOf, userLists, type UserLists } from './users';

/** A provider started on this emulator: its descriptor and its running part. */
interface Running {
  readonly provider: EmulatorProvider;
  readonly instance: ProviderInstance;
  /** The endpoint a request path names, if any. */
  readonly endpointOf: (path: string) => EmulatorEndpoint | undefined;
}

/**
 * Matches a request path to an endpoint: exact paths first, then patterns whose `:name`
 * segments stand for one path segment (GitHub's `/applications/:client_id/grant`).
 */
function endpointMatcher(paths: Readonly<Partial<Record<EmulatorEndpoint, string>>>) {
  const exact = new Map<string, EmulatorEndpoint>();
  const patterns: [RegExp, EmulatorEndpoint][] = [];
  for (const [endpoint, path] of Object.entries(paths) as [EmulatorEndpoint, string][]) {
    if (!path.includes('/:')) exact.set(path, endpoint);
    else {
      const source = path
        .split('/')
        .map((part) =>
          part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('/');
      patterns.push([new RegExp(`^${source}$`), endpoint]);
    }
  }
  return (path: string) => exact.get(path) ?? patterns.find(([pattern]) => pattern.test(path))?.[1];
}

const all: readonly EmulatorProvider[] = providers;

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
  const clients = new ClientRegistry(new Map(all.map((p) => [p.name, p.checkClient])));
  for (const p of all) {
    const { appClientIds, ...client } = p.defaultClient;
    clients.register({
      provider: p.name,
      ...client,
      ...(appClientIds && { appClientIds: [...appClientIds] }),
    });
  }
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
  const serves = (provider: ProviderName, endpoint: EmulatorEndpoint) =>
    endpoint === 'consent' || Object.keys(providerOf(provider).paths).includes(endpoint);
  const secretOf = (provider: ProviderName, id: string) => clients.find(provider, id)?.clientSecret;
  const faults = new FaultQueue(serves, { key, secretOf });
  // Counted before anything else, so rejected and faulted requests show up too.
  const gate: Gate = (provider, endpoint, res, proceed) => {
    const name = `${provider}:${endpoint}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
    faults.apply(provider, endpoint, res, proceed);
  };
  const texts = new Map(all.map((p) => [p.name, p.consentTexts] as const));
  const consent = new ConsentFlow(now, gate, texts);
  const idTokenOverrides = new IdTokenOverrides(
    all.filter((p) => p.issuesIdTokens).map((p) => p.name),
  );
  const shared = { origin, now, clients, consent, key, idTokenOverrides };
  const running = new Map<ProviderName, Running>();
  for (const provider of all) {
    const instance = provider.create({ ...shared, users: users[provider.name] });
    running.set(provider.name, { provider, instance, endpointOf: endpointMatcher(provider.paths) });
  }
  server.on('request', buildApp([...running.values()], consent, gate));

  let stopped: Promise<void> | undefined;
  const stop = () => {
    // Held (delayed) requests are dropped, so stop() never waits for their timers.
    faults.stop();
    return (stopped ??= close(server));
  };
  const parts = { origin, stop, clients, counts, users, faults, idTokenOverrides, key, running };
  return emulatorHandle(parts);
}

/** The consent value of the account `user` names (its key, or a word of its name or email). */
function accountKey(users: UserLists, name: ProviderName, user?: string): string | undefined {
  if (user === undefined) return undefined;
  const provider = providerOf(name);
  const list: readonly object[] = users[name];
  const wanted = user.toLowerCase();
  const words = (account: object) =>
    Object.values(account)
      .filter((v): v is string => typeof v === 'string' && !v.startsWith('data:'))
      .flatMap((v) => v.toLowerCase().split(/[\s@.]+/));
  const found =
    list.find((account) => provider.userKey(account) === user) ??
    list.find((account) => words(account).includes(wanted));
  if (!found) throw new TypeError(`No ${name} test account matches ${user}`);
  return String(provider.userKey(found));
}

function providerOf(name: ProviderName): EmulatorProvider {
  const provider = all.find((p) => p.name === name);
  if (!provider) throw new TypeError(`${String(name)} is not an emulated provider`);
  return provider;
}

/** The {@link Emulator} handle over a started emulator's parts. */
function emulatorHandle(parts: {
  origin: string;
  stop: () => Promise<void>;
  clients: ClientRegistry;
  counts: Map<string, number>;
  users: UserLists;
  faults: FaultQueue;
  idTokenOverrides: IdTokenOverrides;
  key: SigningKey;
  running: ReadonlyMap<ProviderName, Running>;
}): Emulator {
  const { clients, counts, users, faults, idTokenOverrides, key, running } = parts;
  const instance = (provider: ProviderName) => {
    const found = running.get(provider);
    if (!found) throw new TypeError(`${String(provider)} is not an emulated provider`);
    return found.instance;
  };
  return {
    origin: parts.origin,
    stop: parts.stop,
    registerClient: (client) => clients.register(client),
    count: (provider, endpoint) => counts.get(`${provider}:${endpoint}`) ?? 0,
    resetCounts: () => counts.clear(),
    users: (provider) => users[provider],
    subject: (provider, userKey, clientId) => subjectOf(users, provider, userKey, clientId),
    failNext: (provider, endpoint, fault) => faults.push(provider, endpoint, fault),
    nextIdTokenClaims: (provider, override) => idTokenOverrides.push(provider, override),
    async appIdToken(provider, { user, clientId, nonce, claims, signature }) {
      const play = instance(provider).appIdToken;
      if (!play) throw new TypeError(`${String(provider)} issues no app ID tokens`);
      if (signature !== undefined && !SIGNATURE_FAULTS.includes(signature)) {
        throw new TypeError(`signature must be one of ${SIGNATURE_FAULTS.join(', ')}`);
      }
      const token = await play({ user, clientId, nonce, claims });
      if (signature === undefined) return token;
      const secret = clients.find(provider, clientId)?.clientSecret ?? '';
      return resignIdToken(token, signature, key, secret);
    },
    appAccessToken(provider, options) {
      const play = instance(provider).appAccessToken;
      if (!play) throw new TypeError(`${String(provider)} has no app SDK here`);
      return play(options);
    },
    inAppAccount(provider, user) {
      const play = instance(provider).inAppAccount;
      if (!play) throw new TypeError(`${String(provider)} has no in-app account here`);
      play(user);
    },
    appTokens(provider, options) {
      const play = instance(provider).appTokens;
      if (!play) throw new TypeError(`${String(provider)} has no app tokens here`);
      return play(options);
    },
    clearFaults: () => {
      faults.clear();
      idTokenOverrides.clear();
    },
    appAuthorizationCode(provider, options) {
      const play = instance(provider).appAuthorizationCode;
      if (!play) throw new TypeError(`${String(provider)} issues no app authorization codes`);
      return play(options);
    },
    async sendUnlink(provider, { to, user, clientId, referrerType, event }) {
      const play = instance(provider).unlink;
      if (!play) throw new TypeError(`${String(provider)} sends no unlink notice`);
      const id = clientId ?? providerOf(provider).defaultClient.clientId;
      const client = clients.find(provider, id);
      if (!client) throw new TypeError(`No ${provider} client ${id}`);
      const subject = subjectOf(users, provider, user, id); // throws for an unknown account
      const notice = await play(client, user, subject, { referrerType, event });
      return { status: await deliver(to, notice) };
    },
    signIn: (agent, options) => signInAgent(agent, options),
    signInPage: async (page, options) =>
      signInBrowser(page, options, accountKey(users, options.provider, options.user)),
  };
}

function buildApp(
  providers: readonly Running[],
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
      const endpoint = provider.endpointOf(req.path);
      if (endpoint) return gate(provider.provider.name, endpoint, res, () => next());
    }
    next();
  });
  for (const provider of providers) app.use(provider.instance.router);
  app.post(CONSENT_PATH, consent.handler);
  app.use((_req, res) => sendErrorPage(res, 404, 'not_found', 'The requested URL was not found.'));
  const onError: ErrorRequestHandler = (_err, _req, res, _next) => {
    if (res.headersSent) return void res.destroy();
    res.status(500).json({ error: 'server_error', error_description: 'Internal error' });
  };
  app.use(onError);
  return app;
}
