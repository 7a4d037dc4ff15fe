// Issue 8: no input may kill the process. A provider's error without `error_description`
// (optional in RFC 6749 §5.2) or a 5xx carrying `{"error":"server_error"}` once made the error
// message undefined, the failure path threw inside the callback's catch, and the rejection went
// unhandled (Node exits on that). Every case here must answer with the error page, never a 500.
import type { Fault } from '@socialauth/emulator';
import express from 'express';
import express4 from 'express4';
import { consent, start, startHarness, type Harness } from '@socialauth/testkit';

type App = Parameters<typeof startHarness>[1];
describe.each([
  // Express 4's query parser builds objects from `a[b]=`; Express 5's keeps `a[b]` as a key.
  ['Express 5', () => express() as App, false],
  ['Express 4', () => express4() as unknown as App, true],
])('%s', (_name, makeApp, nestedQuery) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(() => ({}), makeApp());
  });
  afterEach(() => h.close());

  const tokenFaults: [string, Fault, string][] = [
    [
      '400 invalid_grant without error_description',
      { kind: 'oauth-error', status: 400, error: 'invalid_grant' },
      'token_exchange_failed',
    ],
    [
      '503 with {"error":"server_error"}',
      { kind: 'oauth-error', status: 503, error: 'server_error' },
      'token_exchange_failed',
    ],
    [
      '200 with {"error":"server_error"} and no description',
      { kind: 'oauth-error', status: 200, error: 'server_error' },
      'token_exchange_failed',
    ],
    [
      '401 invalid_client with an empty description',
      { kind: 'oauth-error', status: 401, error: 'invalid_client', description: '' },
      'token_exchange_failed',
    ],
  ];

  test.each(tokenFaults)(
    'token endpoint %s: error page, process alive',
    async (_l, fault, code) => {
      h.emulator.failNext('google', 'token', fault);
      const back = await consent(await start(h.agent));
      const res = await h.agent.get(back);
      expect(res.status).toBe(302);
      // The code, and what the refusal means where it says (reason: code_used, provider_down, ...).
      expect(res.headers.location).toMatch(
        new RegExp(`^/auth/error\\?error=${code}(&reason=\\w+)?$`),
      );
      await h.agent.get('/auth/session').expect(401);
    },
  );

  test('a profile endpoint error without a message: error page', async () => {
    h.emulator.failNext('google', 'userinfo', { kind: 'oauth-error', status: 401, error: 'x' });
    const back = await consent(await start(h.agent));
    const res = await h.agent.get(back);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/auth/error?error=profile_fetch_failed');
  });

  // The start route once handed provider-style callback parameters to passport, which took them
  // for a callback: `?error=x` with no state answered 500 with a stack trace, and on Express 4
  // (whose query parser builds objects) `error[toString]=` a false 503.
  test.each([
    '/auth/google?error=x',
    '/auth/google?error=access_denied',
    '/auth/google?code=abc',
    '/auth/google?error=x&error_description=y&state=z',
  ])('GET %s answers 400 invalid_request, never 500 or a stack', async (path) => {
    const res = await h.agent.get(path).set('Accept', 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.text).not.toMatch(/ at |Error:/);
    const page = await h.newAgent().get(path);
    expect(page.status).toBe(302);
    expect(page.headers.location).toBe('/auth/error?error=invalid_request');
  });

  test.each(['/auth/google?error[toString]=', '/auth/google?code[toString]=1'])(
    'GET %s is refused (Express 4) or a plain start (Express 5)',
    async (path) => {
      const res = await h.agent.get(path).set('Accept', 'application/json');
      if (nestedQuery) expect([res.status, res.body.error?.code]).toEqual([400, 'invalid_request']);
      // A JSON start answers the provider URL in the body (headless.test.ts).
      else expect(new URL(res.body.redirectUrl ?? '').pathname).toBe('/o/oauth2/v2/auth');
    },
  );
});
