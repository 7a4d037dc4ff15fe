import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  redisAccounts,
  redisSession,
  type ProviderOptionsBase,
  type ProviderPlugin,
} from '@socialauth/core';
import { DEFAULT_CLIENTS, startEmulator, type Emulator } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import { naver } from '@socialauth/naver';
import { createApp } from './app';

const PROVIDERS = [
  { id: 'google', env: 'GOOGLE', create: google },
  { id: 'naver', env: 'NAVER', create: naver },
  { id: 'kakao', env: 'KAKAO', create: kakao },
] as const satisfies readonly {
  id: keyof typeof DEFAULT_CLIENTS;
  env: string;
  create: (o: ProviderOptionsBase) => ProviderPlugin;
}[];

/**
 * Starts the example on `port` (0 for any free one). A provider whose `<NAME>_CLIENT_ID` is not in
 * the environment signs in against the provider emulator, started in-process.
 */
export async function startExample(options: { port?: number; log?: (line: string) => void } = {}) {
  const log = options.log ?? console.log;
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 3000, 'localhost', resolve));
  const baseURL = `http://localhost:${(server.address() as AddressInfo).port}`;

  const offline = PROVIDERS.filter((p) => !process.env[`${p.env}_CLIENT_ID`]);
  const emulator: Emulator | undefined =
    offline.length > 0 ? await startEmulator({ port: 0 }) : undefined;
  if (emulator) {
    log(
      `Emulated (no <NAME>_CLIENT_ID set): ${offline.map((p) => p.id).join(', ')} at ${emulator.origin}`,
    );
  }
  const providers = PROVIDERS.map((p) =>
    emulator && offline.includes(p)
      ? p.create({ ...DEFAULT_CLIENTS[p.id], origin: emulator.origin })
      : p.create({}),
  );
  const secret = process.env.SESSION_SECRET ?? randomBytes(32).toString('base64url');
  // With REDIS_URL, sessions, users and rate limits live in Redis: run as many instances as you like.
  const redisURL = process.env.REDIS_URL;
  if (redisURL) log(`Sessions and accounts in Redis at ${new URL(redisURL).host}`);
  if (redisURL && !process.env.SESSION_SECRET) {
    log(
      'SESSION_SECRET is not set: a random one is used, so other instances cannot read these sessions',
    );
  }
  const app = createApp({
    baseURL,
    secret,
    providers,
    logger: { info: log, warn: log, error: log },
    ...(redisURL && {
      session: { store: redisSession({ url: redisURL }) },
      accounts: redisAccounts({ url: redisURL }),
    }),
  });
  server.on('request', app);
  log(`Example app: ${baseURL}`);

  return {
    url: baseURL,
    emulator,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator?.stop();
    },
  };
}
