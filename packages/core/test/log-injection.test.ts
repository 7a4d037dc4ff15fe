// CWE-117: what a request or a provider says reaches the log escaped, one line per event, so no
// one can forge a log line or send a terminal escape sequence to whoever reads the log.
import express from 'express';
import { logSafe } from '../src/doors/failure';
import { consent, start, startHarness, type Harness } from '@socialauth/testkit';

// C0, DEL, C1 and the two Unicode line terminators (ECMAScript and many log viewers break lines
// on U+2028/U+2029).
// eslint-disable-next-line no-control-regex -- the point of this test is control characters
const RAW_CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;

function expectClean(logs: readonly string[]) {
  for (const line of logs) expect(line).not.toMatch(RAW_CONTROL);
}

test('logSafe escapes every C0 and C1 control, DEL, U+2028/2029 and the backslash only', () => {
  for (let code = 0; code <= 0x9f; code++) {
    if (code >= 0x20 && code < 0x7f) continue;
    const c = String.fromCharCode(code);
    expect(logSafe(`a${c}b`)).toBe(`a\\x${code.toString(16).padStart(2, '0')}b`);
  }
  expect(logSafe('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c');
  // A literal "\x0a" in the input cannot pass for an escaped newline.
  expect(logSafe('C:\\x0a')).toBe('C:\\\\x0a');
  const plain = 'GET /auth/google: 로그인 ✓ café 🙂 ~!@#$%^&*()[]{}"\'';
  expect(logSafe(plain)).toBe(plain);
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

test("a provider's error_description with CR LF, C1 and U+2028 is logged escaped", async () => {
  h = await startHarness();
  const back = await consent(await start(h.agent));
  h.emulator.failNext('google', 'token', {
    kind: 'oauth-error',
    error: 'invalid_grant',
    description: 'Bad\r\n[socialauth] GET /admin: ok\u2028\u0085\u009b31m\\x0a',
  });
  const res = await h.agent.get(back).set('Accept', 'application/json');
  expect(res.body.error.code).toBe('token_exchange_failed');
  const line = h.logs.find((l) => l.includes('token_exchange_failed'));
  expect(line).toContain('Bad\\x0d\\x0a[socialauth] GET /admin: ok\\u2028\\x85\\x9b31m\\\\x0a');
  expectClean(h.logs);
});

test('a callback error parameter with a newline is logged escaped', async () => {
  h = await startHarness();
  // Anyone can start a flow in their own session and then send its state with any `error`.
  const state = (await start(h.agent)).searchParams.get('state') ?? '';
  const error = encodeURIComponent('server_error\r\nFAKE: injected\u001b[2J');
  const res = await h.agent
    .get(`/auth/google/callback?state=${state}&error=${error}`)
    .set('Accept', 'application/json');
  expect(res.body.error.code).toBe('provider_error');
  const line = h.logs.find((l) => l.includes('provider_error'));
  expect(line).toContain('server_error\\x0d\\x0aFAKE: injected\\x1b[2J');
  expectClean(h.logs);
});

test('a request path handed over decoded (as serverless adapters do) is logged escaped', async () => {
  const app = express();
  // API Gateway gives adapters like serverless-http the path percent-decoded. Express's URL
  // parser re-escapes CR, LF and space, but not ESC, NEL or U+2028: those arrive raw.
  app.use((req, _res, next) => {
    const [path = '', query] = req.url.split('?');
    req.url = decodeURIComponent(path) + (query === undefined ? '' : `?${query}`);
    next();
  });
  h = await startHarness(undefined, app);
  // `%25ZZ` decodes to `%ZZ`, which the router then fails to decode: a 400 that is logged.
  const res = await h.agent
    .get('/auth/google%1b[2J%c2%85%e2%80%a8FAKE%25ZZ/callback?state=x')
    .set('Accept', 'application/json');
  expect(res.status).toBe(400);
  const line = h.logs.find((l) => l.includes('invalid_request'));
  expect(line).toContain('GET /auth/google\\x1b[2J\\x85\\u2028FAKE%ZZ/callback: invalid_request');
  expectClean(h.logs);
});
