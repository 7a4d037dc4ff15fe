#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startEmulator } from './index';
import type { EmulatorProvider } from './provider';
import { providers } from './providers';

const USAGE = `Usage: socialauth-emulator [--port <port>] [--host <host>] [--allow-production]

Runs local stand-ins for Google's, Naver's and Kakao's OAuth 2.0 / OpenID Connect endpoints,
all on one origin under their real paths. Its client credentials are public defaults: it is for
tests and development only.

Options:
  --port <port>       TCP port to listen on (default 0: any free port)
  --host <host>       interface to bind (default 127.0.0.1; any other is reachable from the
                      network, and a warning says so)
  --allow-production  start even when NODE_ENV=production (refused otherwise)
  -h, --help          show this help
`;

function fail(message: string): never {
  process.stderr.write(`socialauth-emulator: ${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { port?: string; host?: string; 'allow-production'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'allow-production': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be 0-65535');

  const emulator = await startEmulator({
    port,
    host: values.host,
    allowInProduction: values['allow-production'] === true,
    logger: {
      warn: (message) => process.stderr.write(`socialauth-emulator: warning: ${message}\n`),
    },
  });
  // Listening for signals before the banner: whoever waits for it may send SIGTERM at once.
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`Received ${signal}, stopping\n`);
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  const o = emulator.origin;
  // These are fixed test credentials, printed so a developer can paste them into an app's config.
  // `o` is the origin of the address really bound (the port picked for 0, the address a name
  // resolved to), the one to paste.
  const line = (label: string, value: string) => `${`${label}:`.padEnd(22)}${value}\n`;
  const banner = providers.map((p: EmulatorProvider) => {
    const name = p.consentTexts.label.en;
    return (
      line(`${name} ${p.banner.label}`, o + p.banner.path) +
      line(`${name} client id`, p.defaultClient.clientId) +
      (p.defaultClient.clientSecret === undefined
        ? line(`${name} team id`, p.defaultClient.teamId ?? '') +
          line(`${name} key id`, p.defaultClient.keyId ?? '')
        : line(`${name} client secret`, p.defaultClient.clientSecret))
    );
  });
  process.stdout.write(`socialauth emulator listening on ${o}\n${banner.join('')}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `socialauth-emulator: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
