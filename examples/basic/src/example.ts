import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apple } from '@socialauth/apple';
import { oidc, redisAccounts, redisSession, type ProviderPlugin } from '@socialauth/core';
import type { ProviderOptionsBase } from '@socialauth/core/provider';
import { DEFAULT_CLIENTS, startEmulator, type Emulator } from '@socialauth/emulator';
import { github } from '@socialauth/github';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import { line } from '@socialauth/line';
import { microsoft } from '@socialauth/microsoft';
import { naver } from '@socialauth/naver';
import { migrate, postgresAccounts } from '@socialauth/postgres';
import { createApp } from './app';

const PROVIDERS = [
  { id: 'google', env: 'GOOGLE', create: google },
  // Inside the NAVER app, a returning user signs in without a screen (서비스 자동로그인).
  {
    id: 'naver',
    env: 'NAVER',
    create: (o: ProviderOptionsBase) => naver({ ...o, autoLoginInNaverApp: true }),
  },
  // Inside KakaoTalk, a member signs in without a screen (Kakao's auto-login), others as usual.
  {
    id: 'kakao',
    env: 'KAKAO',
    create: (o: ProviderOptionsBase) => kakao({ ...o, silentInKakaoTalk: true }),
  },
  // Apple signs its own client secret: APPLE_CLIENT_ID, APPLE_TEAM_ID, APPLE_KEY_ID, APPLE_PRIVATE_KEY.
  { id: 'apple', env: 'APPLE', create: apple },
  { id: 'github', env: 'GITHUB', create: github },
  // Microsoft: MICROSOFT_CLIENT_ID / _SECRET; any work, school or personal account (tenant common).
  { id: 'microsoft', env: 'MICROSOFT', create: microsoft },
  { id: 'line', env: 'LINE', create: line },
] as const satisfies readonly {
  id: keyof typeof DEFAULT_CLIENTS;
  env: string;
  create: (o: ProviderOptionsBase) => ProviderPlugin;
}[];

/** Options for {@link startExample}; `server.ts` fills them from the environment. */
export interface ExampleOptions {
  /** Port to listen on (on localhost); 0 for any free one. Default 3000. */
  port?: number;
  /**
   * The public origin, from which the callback URLs are built. Default `http://localhost:<port>`.
   * Instances behind one address share it: a sign-in started on one then completes on another.
   */
  baseURL?: string;
  /**
   * The provider emulator's port on 127.0.0.1. Default 0: a free port, for this instance alone.
   * With a fixed port, the first instance starts the emulator there and the others use it.
   */
  emulatorPort?: number;
  /** Sessions, users and rate limits in this Redis instead of memory. */
  redisURL?: string;
  /**
   * Users and their identities in this PostgreSQL database (`postgres://user:pass@host/db`),
   * migrated at start-up; sessions stay in memory, or in Redis with `redisURL`.
   */
  databaseURL?: string;
  /**
   * Sessions and rate limits (and users, without `databaseURL`) on this Redis Cluster, given by
   * seed nodes (`127.0.0.1:7001`); instead of `redisURL`.
   */
  redisCluster?: string[];
  /**
   * One more provider, any OpenID Connect provider by its issuer, with `oidc()` (credentials from
   * `OIDC_CLIENT_ID` / `OIDC_CLIENT_SECRET`). `'emulator'`: the emulator's Google configured as a
   * generic provider would be (issuer `https://accounts.google.com`, discovery and all).
   */
  oidcIssuer?: string;
  /** The session secret; default a random one, which no other instance knows. */
  secret?: string;
  /** How recent a sign-in the security page wants, in seconds. Default 300. */
  recentLoginSeconds?: number;
  log?: (line: string) => void;
}

/**
 * Starts the example. A provider whose `<NAME>_CLIENT_ID` is not in the environment signs in
 * against the provider emulator, started in-process (or found on `emulatorPort`).
 */
export async function startExample(options: ExampleOptions = {}) {
  const log = options.log ?? console.log;
  // Listening comes first (port 0 picks the port the callback URLs are built from); until the
  // app is attached, a request is answered at once with 503 instead of waiting unanswered.
  const starting = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(503, { 'Retry-After': '1', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Starting up, try again in a moment.\n');
  };
  const server = createServer(starting);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, 'localhost', resolve);
  });
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  const baseURL = options.baseURL ?? url;
  const closers: (() => Promise<void>)[] = [
    async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  ];
  const stop = async () => {
    for (const close of closers.splice(0)) await close(); // the server first: no new requests
  };

  try {
    const offline = PROVIDERS.filter((p) => !process.env[`${p.env}_CLIENT_ID`]);
    const { oidcIssuer } = options;
    const needsEmulator = offline.length > 0 || oidcIssuer === 'emulator';
    const emulated = needsEmulator ? await emulatorOn(options.emulatorPort ?? 0) : undefined;
    const emulator = emulated?.emulator;
    if (emulator) closers.push(() => emulator.stop());
    if (emulated) {
      log(
        `Emulated (no <NAME>_CLIENT_ID set): ${offline.map((p) => p.id).join(', ')} at ` +
          `${emulated.origin}${emulator ? '' : ' (one already running there)'}`,
      );
    }
    const providers = PROVIDERS.map((p) =>
      emulated && offline.includes(p)
        ? p.create({ ...DEFAULT_CLIENTS[p.id], origin: emulated.origin })
        : p.create({}),
    );
    if (oidcIssuer) {
      providers.push(
        oidcIssuer === 'emulator' && emulated
          ? oidc({
              id: 'oidc',
              name: 'OpenID Connect',
              issuer: 'https://accounts.google.com',
              origin: emulated.origin,
              ...DEFAULT_CLIENTS.google,
            })
          : oidc({ id: 'oidc', name: 'OpenID Connect', issuer: oidcIssuer }),
      );
      log(`OpenID Connect provider by discovery: ${oidcIssuer}`);
    }
    // With a Redis URL, sessions, users and rate limits live in Redis: run as many instances as
    // you like, with one secret and one baseURL. With a database URL, users live in PostgreSQL.
    const { redisURL, databaseURL, redisCluster } = options;
    if (redisURL) {
      log(`Sessions${databaseURL ? '' : ' and accounts'} in Redis at ${new URL(redisURL).host}`);
    }
    if (redisCluster) {
      log(
        `Sessions${databaseURL ? '' : ' and accounts'} on the Redis Cluster at ${redisCluster[0]}`,
      );
    }
    if ((redisURL || redisCluster) && !options.secret) {
      log(
        'SESSION_SECRET is not set: a random one is used, so other instances cannot read these sessions',
      );
    }
    const session = redisCluster
      ? redisSession({ cluster: redisCluster })
      : redisURL
        ? redisSession({ url: redisURL })
        : undefined;
    if (session) closers.push(() => session.close());
    if (databaseURL) {
      // One call, safe when several instances start at once (an advisory lock serializes them).
      const { applied } = await migrate({ url: databaseURL });
      const migrated = applied.length ? `, migrated: ${applied.join(', ')}` : '';
      log(`Accounts in PostgreSQL at ${new URL(databaseURL).host}${migrated}`);
    }
    const accounts = databaseURL
      ? postgresAccounts({ url: databaseURL })
      : redisCluster
        ? redisAccounts({ cluster: redisCluster })
        : redisURL
          ? redisAccounts({ url: redisURL })
          : undefined;
    if (accounts) closers.push(async () => accounts.close?.());
    const app = createApp(
      {
        baseURL,
        secret: options.secret ?? randomBytes(32).toString('base64url'),
        providers,
        logger: { info: log, warn: log, error: log },
        ...(session && { session: { store: session } }),
        ...(accounts && { accounts }),
      },
      { recentLoginSeconds: options.recentLoginSeconds },
    );
    server.off('request', starting);
    server.on('request', app);
    log(
      baseURL === url ? `Example app: ${url}` : `Example app: ${url} (public address ${baseURL})`,
    );
    return { url, baseURL, emulator, emulatorOrigin: emulated?.origin, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The emulator on `port` of 127.0.0.1 (0: any free port): started here, or, when the port is
 * taken, the socialauth emulator already listening there (then `emulator` is undefined).
 */
async function emulatorOn(port: number): Promise<{ origin: string; emulator?: Emulator }> {
  try {
    const emulator = await startEmulator({ port });
    return { origin: emulator.origin, emulator };
  } catch (err) {
    if (port === 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
  }
  const origin = `http://127.0.0.1:${port}`;
  // An emulator's Google discovery document names Google's issuer and endpoints on its origin.
  const tokenEndpoint = await fetch(`${origin}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(2000),
  })
    .then(async (res) => ((await res.json()) as { token_endpoint?: unknown }).token_endpoint)
    .catch(() => undefined);
  if (tokenEndpoint !== `${origin}/token`) {
    throw new Error(
      `Port ${port} is taken, and not by a socialauth emulator: set EMULATOR_PORT to a free port`,
    );
  }
  return { origin };
}
