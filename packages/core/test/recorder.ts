// A second local server, where a provider's redirect points: it records every request it gets
// (method, path, headers, body) and answers what a thief would, a token response, so a client
// that followed the redirect would also take the answer as the provider's.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Recorder {
  origin: string;
  received: Recorded[];
  stop(): Promise<void>;
}

export async function startRecorder(): Promise<Recorder> {
  const received: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          access_token: 'stolen-access',
          refresh_token: 'stolen-refresh',
          token_type: 'bearer',
          expires_in: 3600,
          // Enough of a profile for any provider's mapping to accept it.
          sub: 'attacker',
          id: '1',
          resultcode: '00',
          response: { id: 'attacker' },
          app_id: 1,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
