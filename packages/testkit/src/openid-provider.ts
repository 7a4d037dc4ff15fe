// A real OpenID provider (oidc-provider, in fixtures/oidc-op.mjs) in a child process, and a
// user who signs in on its development login and consent pages over real HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const OP_CLIENT = {
  clientId: 'socialauth-test-client',
  clientSecret: 'socialauth-test-client-secret-0123456789abcdef',
};

export interface OpenIdProvider {
  /** Its issuer identifier, `http://127.0.0.1:<port>`. */
  issuer: string;
  /** Changes the next ID token the token endpoint returns. */
  nextIdToken(mode: 'tampered' | 'foreign' | 'stale-auth-time'): Promise<void>;
  /** Token requests seen, by grant type. */
  tokenRequests(grant: string): Promise<number>;
  /** Discovery document requests seen. */
  discoveryRequests(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts the provider with a client whose one redirect URI is `redirectUri`. */
export async function startOpenIdProvider(
  redirectUri: string,
  options: {
    clientCredentialsTTL?: number;
    /** The one method the client is registered for at the token endpoint. */
    clientAuth?: 'client_secret_post' | 'client_secret_basic';
  } = {},
): Promise<OpenIdProvider> {
  const child = spawn(
    process.execPath,
    [
      join(__dirname, 'fixtures', 'oidc-op.mjs'),
      JSON.stringify({ redirectUri, ...OP_CLIENT, ...options }),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const issuer = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the OP exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout! }).once('line', (line) =>
      resolve((JSON.parse(line) as { issuer: string }).issuer),
    );
  });
  return {
    issuer,
    async nextIdToken(mode) {
      await fetch(`${issuer}/__test/id-token/${mode}`, { method: 'POST' });
    },
    async tokenRequests(grant) {
      const res = await fetch(`${issuer}/__test/counts`);
      const counts = (await res.json()) as { token: Record<string, number> };
      return counts.token[grant] ?? 0;
    },
    async discoveryRequests() {
      const res = await fetch(`${issuer}/__test/counts`);
      return ((await res.json()) as { discovery: number }).discovery;
    },
    stop: () => stop(child),
  };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** A loopback port nobody listens on: for a provider that cannot be reached. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Plays the user at the provider: follows its redirects with its cookies, signs in as `login`
 * on the login form and approves the consent form, and returns the URL it finally redirects
 * to outside itself (the app's callback).
 */
export async function signInAtProvider(authorizeURL: string, login = 'alice'): Promise<URL> {
  const cookies = new Map<string, string>();
  const origin = new URL(authorizeURL).origin;
  let next: { url: string; form?: Record<string, string> } = { url: authorizeURL };
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(next.url, {
      method: next.form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(next.form && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      body: next.form && new URLSearchParams(next.form).toString(),
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    const location = res.headers.get('location');
    if (location) {
      const target = new URL(location, next.url);
      if (target.origin !== origin) return target;
      next = { url: target.href };
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !action || !prompt) {
      throw new Error(`unexpected page at ${next.url} (${res.status}): ${html.slice(0, 300)}`);
    }
    const form: Record<string, string> =
      prompt === 'login' ? { prompt, login, password: 'any' } : { prompt };
    next = { url: new URL(action, next.url).href, form };
  }
  throw new Error('the provider never redirected back');
}
