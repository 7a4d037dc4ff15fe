import type supertest from 'supertest';
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import {
  SECRET,
  consent,
  editSession,
  start,
  startHarness,
  type Harness,
} from '@socialauth/testkit';

// The emulator issues tokens in Google's shapes: code '4/0A…', access 'ya29.a0…', refresh '1//0…'.
const TOKEN_SHAPES = ['4/0A', 'ya29.', '1//0', 'eyJ'];

let h: Harness;
const seen: string[] = [];
const record = (res: supertest.Response) => {
  seen.push(JSON.stringify(res.headers), res.text ?? '');
  return res;
};

beforeAll(async () => {
  h = await startHarness((emulator) => ({
    providers: [
      google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin, accessType: 'offline' }),
    ],
  }));
});
afterAll(() => h.close());

test('no token, code, state or secret in any response, redirect or log line', async () => {
  const states: string[] = [];
  const codes: string[] = [];
  const run = async (path: string) => record(await h.agent.get(path));

  // A successful sign-in (with a refresh token issued), then the session, then logout.
  let authorize = await start(h.agent, 'google', '/after');
  states.push(authorize.searchParams.get('state')!);
  let back = await consent(authorize);
  codes.push(new URL(back, 'http://x').searchParams.get('code')!);
  await run(back);
  await run('/auth/session');
  await run('/auth/providers');
  await run('/private');
  record(await h.agent.post('/auth/logout'));

  // A denial, a failed token exchange, and a replay: the failure paths log.
  authorize = await start(h.agent);
  states.push(authorize.searchParams.get('state')!);
  await run(await consent(authorize, { deny: true }));
  authorize = await start(h.agent);
  states.push(authorize.searchParams.get('state')!);
  back = await consent(authorize);
  codes.push(new URL(back, 'http://x').searchParams.get('code')!);
  editSession(h.store, (d) => {
    for (const f of Object.values(d.socialauth?.flows ?? {})) f.verifier = 'x'.repeat(43);
  });
  await run(back);
  await run(back);
  await run('/auth/error?error=token_exchange_failed');

  expect(h.emulator.count('google', 'token')).toBe(2);
  const responses = seen.join('\n');
  const logs = h.logs.join('\n');
  for (const shape of TOKEN_SHAPES) {
    expect(responses).not.toContain(shape);
    expect(logs).not.toContain(shape);
  }
  for (const secret of [DEFAULT_CLIENTS.google.clientSecret, SECRET, ...codes]) {
    expect(responses).not.toContain(secret);
    expect(logs).not.toContain(secret);
  }
  for (const state of states) expect(logs).not.toContain(state);
  // The failure lines are there, so the check above looked at something.
  expect(logs).toMatch(/access_denied/);
  expect(logs).toMatch(/token_exchange_failed/);
});
