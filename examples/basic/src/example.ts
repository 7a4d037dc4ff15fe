import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { google, type GoogleOptions } from '@socialauth/google';
import { DEFAULT_CLIENTS, startEmulator } from '@socialauth/emulator';
import { createApp } from './app';

/**
 * Starts the example on `port` (0 for any free one). Without GOOGLE_CLIENT_ID it starts the
 * provider emulator in-process and signs in against it.
 */
export async function startExample(options: { port?: number; log?: (line: string) => void } = {}) {
  const log = options.log ?? console.log;
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 3000, 'localhost', resolve));
  const baseURL = `http://localhost:${(server.address() as AddressInfo).port}`;

  let googleOptions: GoogleOptions = {};
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  if (!process.env.GOOGLE_CLIENT_ID) {
    emulator = await startEmulator({ port: 0 });
    googleOptions = { ...DEFAULT_CLIENTS.google, origin: emulator.origin };
    log(`No GOOGLE_CLIENT_ID set: signing in against the emulator at ${emulator.origin}`);
  }
  const secret = process.env.SESSION_SECRET ?? randomBytes(32).toString('base64url');
  const app = createApp({
    baseURL,
    secret,
    providers: [google(googleOptions)],
    logger: { info: log, warn: log, error: log },
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
