// The browser side of a consumer sign-in, shared by signin.cjs and signin.mjs: plain Node (fetch
// and a cookie jar) with no socialauth code of its own, so what is under test is only what each
// app loaded through its own module system. It talks to run.mjs in stdout lines `<KIND> <json>`.
'use strict';
/* global require, module, process, fetch, AbortSignal, URL, URLSearchParams */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS module */

const { createServer } = require('node:http');

const PROVIDERS = ['google', 'naver', 'kakao', 'apple', 'github', 'microsoft', 'line'];
const AFTER_LOGIN = '/welcome';
const SECRET = 'consumer-test-session-secret-0123456789';
const TIMEOUT_MS = 10_000;

/** One line for run.mjs: RESOLVED, RESULT or DONE. */
function report(kind, value = {}) {
  process.stdout.write(`${kind} ${JSON.stringify(value)}\n`);
}

/** Starts `app` on a free loopback port. */
function listen(app) {
  const server = createServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, baseURL: `http://127.0.0.1:${server.address().port}` });
    });
  });
}

/** Stops what the app started, then says so: the process must now exit by itself. */
async function close(server, emulator) {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await emulator?.stop();
  report('DONE');
}

/** A logger for socialAuth({ logger }) that keeps its lines, to explain a failed sign-in. */
function memoryLogger() {
  const lines = [];
  const keep = (level) => (message) => lines.push(`${level}: ${message}`);
  return { lines, logger: { info: keep('info'), warn: keep('warn'), error: keep('error') } };
}

/** The cookies of one browser, for one site. */
class CookieJar {
  cookies = new Map();

  /** Keeps the response's Set-Cookie headers; an expired cookie is dropped. */
  store(response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const expired = attributes.some((attr) => {
        const [key, value = ''] = attr.split('=');
        if (key.toLowerCase() === 'max-age') return Number(value) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(value) <= Date.now();
        return false;
      });
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1));
    }
  }

  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** A GET as a browser without JavaScript would make it, redirects not followed. */
async function get(jar, url, accept = 'text/html') {
  const response = await fetch(url, {
    headers: { Accept: accept, Cookie: jar.header() },
    redirect: 'manual',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  jar.store(response);
  return response;
}

/**
 * A form POST as a browser makes it, redirects not followed: `cookies` false for a cross-site
 * one (SameSite=Lax cookies stay behind), true for one from the site's own page.
 */
async function post(jar, url, form, { cookies }) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      Accept: 'text/html',
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(cookies && { Cookie: jar.header() }),
    },
    body: form.toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  jar.store(response);
  return response;
}

/** The hidden fields of a page's form. */
function hiddenFields(html) {
  const fields = new URLSearchParams();
  const unescape = (text) =>
    text.replace(/&#(\d+);/g, (_m, code) => String.fromCharCode(Number(code)));
  for (const [tag] of html.matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    if (name) fields.append(unescape(name), unescape(/value="([^"]*)"/.exec(tag)?.[1] ?? ''));
  }
  return fields;
}

/**
 * The provider's answer delivered to the callback: a redirect followed, or (Apple's form_post)
 * the cross-site POST, answered with the app's page, whose form is then posted same-site.
 */
async function callBack(jar, answer, baseURL, provider) {
  const callbackURL = `${baseURL}/auth/${provider}/callback`;
  if (answer.method === 'GET') {
    if (!answer.url.startsWith(`${callbackURL}?`)) {
      throw new Error(
        `consent page: want a redirect to /auth/${provider}/callback, got ${answer.url}`,
      );
    }
    return get(jar, answer.url);
  }
  if (answer.url !== callbackURL) {
    throw new Error(`consent page: want a form POST to ${callbackURL}, got ${answer.url}`);
  }
  const page = await post(jar, answer.url, answer.form, { cookies: false });
  const html = await page.text();
  if (page.status !== 200 || !html.includes('socialauth_resubmitted')) {
    throw new Error(
      `cross-site POST /auth/${provider}/callback: want the resubmit page, got ${page.status}`,
    );
  }
  return post(jar, answer.url, hiddenFields(html), { cookies: true });
}

/** "302 -> /somewhere" or "500: <start of the body>", to say what came instead. */
async function describe(response) {
  const location = response.headers.get('location');
  if (location) return `${response.status} -> ${location}`;
  const body = (await response.text()).replace(/\s+/g, ' ').trim();
  return `${response.status}: ${body.slice(0, 300)}`;
}

/**
 * One full sign-in with a fresh browser: GET /auth/<provider> -> 302 to the emulator -> consent
 * page -> approve -> 302 back to the callback -> 302 to afterLogin; then GET /auth/session and
 * GET /me (behind requireAuth()). Throws an Error naming the step that went wrong.
 */
async function signIn({ baseURL, emulatorOrigin, provider, approveConsentResponse }) {
  const jar = new CookieJar();
  const anonymous = await get(jar, `${baseURL}/auth/session`, 'application/json');
  if (anonymous.status !== 401) {
    throw new Error(`GET /auth/session before sign-in: want 401, got ${await describe(anonymous)}`);
  }

  const start = await get(jar, `${baseURL}/auth/${provider}`);
  const authorize = start.headers.get('location') ?? '';
  if (start.status !== 302 || !authorize.startsWith(`${emulatorOrigin}/`)) {
    throw new Error(
      `GET /auth/${provider}: want 302 to the emulator, got ${await describe(start)}`,
    );
  }

  let answer;
  try {
    answer = await approveConsentResponse(authorize);
  } catch (err) {
    throw new Error(`consent page: ${err.message}`);
  }

  const back = await callBack(jar, answer, baseURL, provider);
  const landing = back.headers.get('location');
  if (back.status !== 302 || !landing || new URL(landing, baseURL).href !== baseURL + AFTER_LOGIN) {
    throw new Error(
      `/auth/${provider}/callback: want 302 -> ${AFTER_LOGIN}, got ${await describe(back)}`,
    );
  }

  const session = await get(jar, `${baseURL}/auth/session`, 'application/json');
  if (session.status !== 200) {
    throw new Error(`GET /auth/session: want 200, got ${await describe(session)}`);
  }
  const { user } = await session.json();
  const identities = (user?.identities ?? []).map((identity) => identity.provider);
  if (user?.provider !== provider || !identities.includes(provider)) {
    throw new Error(`GET /auth/session: want a ${provider} user, got ${JSON.stringify(user)}`);
  }

  const me = await get(jar, `${baseURL}/me`, 'application/json');
  const body = me.status === 200 ? await me.json() : undefined;
  if (body?.id !== user.id) {
    throw new Error(
      `GET /me: want 200 with id ${user.id}, got ${me.status} ${JSON.stringify(body)}`,
    );
  }
  return user;
}

/**
 * What an app developer's own test does: `emulator.signIn(agent, ...)`, the emulator's one-call
 * sign-in, on a supertest agent of the app, then GET /me with the agent's session cookie.
 */
async function signInWithAgent({ app, emulator, provider, supertest }) {
  const agent = supertest.agent(app);
  const result = await emulator.signIn(agent, { provider });
  if (result.status !== 302 || result.location !== AFTER_LOGIN) {
    throw new Error(`emulator.signIn: want 302 -> ${AFTER_LOGIN}, got ${JSON.stringify(result)}`);
  }
  const me = await agent.get('/me').set('Accept', 'application/json');
  if (me.status !== 200 || !me.body?.id) {
    throw new Error(`GET /me: want 200 with an id, got ${me.status} ${JSON.stringify(me.body)}`);
  }
  return { id: me.body.id };
}

/**
 * Signs in with each provider in turn and reports a RESULT line per provider. A failed sign-in
 * is a result, not a crash: the exit code stays 0, so a non-zero one means the app itself broke.
 */
async function signInEach({ baseURL, emulator, approveConsentResponse, logLines, app, supertest }) {
  for (const provider of PROVIDERS) {
    const from = logLines.length;
    try {
      const user = supertest
        ? await signInWithAgent({ app, emulator, provider, supertest })
        : await signIn({
            baseURL,
            emulatorOrigin: emulator.origin,
            provider,
            approveConsentResponse,
          });
      report('RESULT', { provider, pass: true, detail: `signed in as user ${user.id}` });
    } catch (err) {
      // What socialauth logged during this sign-in usually names the cause.
      const logged = logLines.slice(from).map((line) => `socialauth ${line}`);
      report('RESULT', { provider, pass: false, detail: [err.message, ...logged].join('\n') });
    }
  }
}

/** Reports the installed Express version, for run.mjs to check it is the one this app wants. */
function reportResolved(resolved) {
  report('RESOLVED', { ...resolved, expressVersion: require('express/package.json').version });
}

const PACKAGES = [
  'core',
  'google',
  'naver',
  'kakao',
  'apple',
  'github',
  'microsoft',
  'line',
  'emulator',
].map((p) => `@socialauth/${p}`);

/**
 * The whole app, given the modules as the caller loaded them (require in signin.cjs, import in
 * signin.mjs: that difference is what the two apps test) and its resolver, for the report. With
 * `supertest` (signin-supertest.mjs), each sign-in is the emulator's one call on an agent.
 */
async function run(
  {
    express,
    core,
    emulatorPackage,
    google,
    naver,
    kakao,
    apple,
    github,
    microsoft,
    line,
    supertest,
  },
  resolve,
) {
  reportResolved(Object.fromEntries(['express', ...PACKAGES].map((name) => [name, resolve(name)])));
  const { DEFAULT_CLIENTS, approveConsentResponse, startEmulator } = emulatorPackage;
  const emulator = await startEmulator({ port: 0 });
  const app = express();
  const { server, baseURL } = await listen(app);
  try {
    const { lines, logger } = memoryLogger();
    const origin = emulator.origin;
    app.use(
      core.socialAuth({
        baseURL,
        secret: SECRET,
        providers: [
          google.google({ ...DEFAULT_CLIENTS.google, origin }),
          naver.naver({ ...DEFAULT_CLIENTS.naver, origin }),
          kakao.kakao({ ...DEFAULT_CLIENTS.kakao, origin }),
          apple.apple({ ...DEFAULT_CLIENTS.apple, origin }),
          github.github({ ...DEFAULT_CLIENTS.github, origin }),
          microsoft.microsoft({ ...DEFAULT_CLIENTS.microsoft, origin }),
          line.line({ ...DEFAULT_CLIENTS.line, origin }),
        ],
        redirects: { afterLogin: AFTER_LOGIN },
        logger,
      }),
    );
    app.get('/me', core.requireAuth(), (req, res) => {
      res.json({ id: req.user.id });
    });
    await signInEach({
      baseURL,
      emulator,
      approveConsentResponse,
      logLines: lines,
      app,
      supertest,
    });
  } finally {
    await close(server, emulator);
  }
}

module.exports = { run };
