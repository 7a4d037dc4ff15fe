import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import session from 'express-session';
import supertest from 'supertest';
import {
  DEFAULT_CLIENTS,
  approveConsent,
  approveConsentResponse,
  startEmulator,
  type ConsentItem,
  type Emulator,
  type EmulatorOptions,
} from '@socialauth/emulator';
import { google } from '@socialauth/google';
import {
  requireAuth,
  socialAuth,
  type ProviderPlugin,
  type SocialAuthConfig,
  type SocialAuthRouter,
} from '@socialauth/core';

export const SECRET = 'test-session-secret-0123456789abcdef';

export interface Harness {
  emulator: Emulator;
  /** The mounted router, for its methods (`endSessions`). */
  auth: SocialAuthRouter;
  baseURL: string;
  agent: supertest.Agent;
  store: session.MemoryStore;
  logs: string[];
  newAgent(): supertest.Agent;
  close(): Promise<void>;
}

export function listen(handler: express.Express): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

/** A second Google-speaking provider under another id, to test cross-provider state. */
export function renamed(plugin: ProviderPlugin, id: string): ProviderPlugin {
  return { ...plugin, id, name: id };
}

/** An app on a real port, signing in against a real emulator; logs captured. */
export async function startHarness(
  patch: (emulator: Emulator) => Partial<SocialAuthConfig> = () => ({}),
  app = express(),
  emulatorOptions: EmulatorOptions = {},
): Promise<Harness> {
  const emulator = await startEmulator({ port: 0, ...emulatorOptions });
  const store = new session.MemoryStore();
  const logs: string[] = [];
  const logger = {
    info: (m: string) => logs.push(m),
    warn: (m: string) => logs.push(m),
    error: (m: string) => logs.push(m),
  };
  const { server, url } = await listen(app);
  const googleOptions = { ...DEFAULT_CLIENTS.google, origin: emulator.origin };
  const auth = socialAuth({
    baseURL: url,
    secret: SECRET,
    providers: [google(googleOptions), renamed(google(googleOptions), 'google-work')],
    session: { store },
    logger,
    // Many sign-ins from one address in a second: the limits have tests of their own.
    rateLimit: false,
    ...patch(emulator),
  });
  app.use(auth);
  app.get('/private', requireAuth(), (req, res) => {
    res.json({ id: req.user?.id });
  });
  return {
    emulator,
    auth,
    baseURL: url,
    agent: supertest.agent(url),
    newAgent: () => supertest.agent(url),
    store,
    logs,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await emulator.stop();
    },
  };
}

/** Starts a sign-in and returns the provider URL it redirected to. */
export async function start(agent: supertest.Agent, provider = 'google', next?: string) {
  const query = next === undefined ? '' : `?next=${encodeURIComponent(next)}`;
  const res = await agent.get(`/auth/${provider}${query}`).expect(302);
  return new URL(res.headers.location as string);
}

/** The path + query of the emulator's redirect back to the app, after the consent form. */
export async function consent(
  authorizeURL: URL,
  options: { user?: string; deny?: boolean; decline?: ConsentItem[] } = {},
) {
  const back = new URL(await approveConsent(authorizeURL.href, options));
  return back.pathname + back.search;
}

/** The provider's answer to the app: a redirect's path and query, or a form POST's path and fields. */
export type Callback =
  { method: 'GET'; path: string } | { method: 'POST'; path: string; form: URLSearchParams };

/** {@link consent} for any response mode (form_post providers answer with a POST). */
export async function consentCallback(
  authorizeURL: URL,
  options: { user?: string; deny?: boolean; decline?: ConsentItem[] } = {},
): Promise<Callback> {
  const answer = await approveConsentResponse(authorizeURL.href, options);
  const url = new URL(answer.url);
  return answer.method === 'GET'
    ? { method: 'GET', path: url.pathname + url.search }
    : { method: 'POST', path: url.pathname, form: answer.form };
}

/** Delivers the provider's answer to the app through the agent, as the browser would. */
export function deliver(agent: supertest.Agent, callback: Callback, accept = 'text/html') {
  return callback.method === 'GET'
    ? agent.get(callback.path).set('Accept', accept)
    : agent.post(callback.path).set('Accept', accept).type('form').send(callback.form.toString());
}

/** A whole sign-in: start, consent, callback. Returns the callback response. */
export async function signIn(
  h: Harness,
  options: { next?: string; user?: string; agent?: supertest.Agent } = {},
) {
  const agent = options.agent ?? h.agent;
  const authorize = await start(agent, 'google', options.next);
  return agent.get(await consent(authorize, { user: options.user }));
}

/** The sessions in the memory store, parsed. */
export function sessions(store: session.MemoryStore): Record<string, session.SessionData> {
  const raw = (store as unknown as { sessions: Record<string, string> }).sessions;
  return Object.fromEntries(Object.entries(raw).map(([id, json]) => [id, JSON.parse(json)]));
}

/** Rewrites one stored session, as time passing or a tampered store would. */
export function editSession(store: session.MemoryStore, edit: (data: session.SessionData) => void) {
  const raw = (store as unknown as { sessions: Record<string, string> }).sessions;
  for (const [id, json] of Object.entries(raw)) {
    const data = JSON.parse(json) as session.SessionData;
    edit(data);
    raw[id] = JSON.stringify(data);
  }
}

export function cookieOf(res: supertest.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => /^(__Host-)?socialauth\.sid=/.test(c));
}

/** The CSRF token of the agent's session, for the POST routes. */
export async function csrfToken(agent: supertest.Agent): Promise<string> {
  return (await agent.get('/auth/csrf').expect(200)).body.csrfToken as string;
}

/** Logs out as a browser page of this site would: with the CSRF token. */
export async function logout(agent: supertest.Agent) {
  const token = await csrfToken(agent);
  return agent.post('/auth/logout').set('X-CSRF-Token', token);
}

/**
 * An app on a real port with socialAuth for `plugin` alone (memory session, no rate limit, quiet
 * logs), for tests that bring their own provider or emulator.
 */
export async function mountProvider(plugin: ProviderPlugin) {
  const app = express();
  const { server, url } = await listen(app);
  app.use(
    socialAuth({
      baseURL: url,
      secret: SECRET,
      providers: [plugin],
      session: { store: new session.MemoryStore() },
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      rateLimit: false,
    }),
  );
  return {
    url,
    agent: supertest.agent(url),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Moves `Date` (only `Date`) forward, as the passing of time would for expiry checks: timers,
 * ticks and `performance` keep real time, so servers and sockets go on working. Undo with
 * `jest.useRealTimers()`.
 */
export function advanceClock(ms: number): void {
  const now = Date.now();
  jest.useFakeTimers({
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
  jest.setSystemTime(now + ms);
}
