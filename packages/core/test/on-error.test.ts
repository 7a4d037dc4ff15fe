// Issue 13, row 4: onError hears every failed sign-in (start, callback, token sign-in, connect),
// with the code and the provider, and a copy of the error without its cause (nothing a provider
// sent). Ordinary refusals of other routes (a last identity kept) are not failures to report.
import { memoryAccounts } from '../src';
import {
  disconnect,
  signInAs,
  startAccountsHarness,
  type AccountsHarness,
  consent,
  start,
} from '@socialauth/testkit';

let h: AccountsHarness;
beforeEach(async () => {
  h = await startAccountsHarness(memoryAccounts());
});
afterEach(() => h.close());

const errors = () => h.events.filter((e) => e.startsWith('error:'));

test('a denied consent, a replayed callback and a refused token each reach onError', async () => {
  const denied = await consent(await start(h.agent), { deny: true });
  await h.agent.get(denied).set('Accept', 'text/html').expect(302);
  expect(errors()).toEqual(['error:access_denied:google']);

  const back = await consent(await start(h.agent));
  await h.agent.get(back).expect(302);
  await h.agent.get(back).expect(302); // the same callback again: its state is spent
  expect(errors()).toEqual(['error:access_denied:google', 'error:login_expired:google']);

  await h.agent
    .post('/auth/google/token')
    .set('Accept', 'application/json')
    .send({ idToken: 'not.a.token' })
    .expect(502);
  expect(errors().at(-1)).toBe('error:id_token_invalid:google');
});

test('a provider failing the token exchange: onError gets the code, not the cause', async () => {
  let seen: Error | undefined;
  await h.close();
  h = await startAccountsHarness(memoryAccounts(), {
    hooks: {
      onError: (err) => {
        seen = err;
      },
    },
  });
  h.emulator.failNext('google', 'token', { kind: 'status', status: 500, body: 'ya29.leaked' });
  const back = await consent(await start(h.agent));
  await h.agent.get(back).set('Accept', 'application/json').expect(502);
  expect(seen).toMatchObject({ code: 'token_exchange_failed' });
  expect(seen?.cause).toBeUndefined();
  expect(JSON.stringify(seen) + String(seen?.message)).not.toContain('ya29');
});

test('keeping the last identity is no sign-in failure: onError stays quiet', async () => {
  await signInAs(h, 'google', '200000000000000000002');
  expect((await disconnect(h, 'google')).status).toBe(409);
  expect(errors()).toEqual([]);
});

test('an onError that throws does not change the answer', async () => {
  await h.close();
  h = await startAccountsHarness(memoryAccounts(), {
    hooks: {
      onError: () => {
        throw new Error('the hook is broken');
      },
    },
  });
  const denied = await consent(await start(h.agent), { deny: true });
  const res = await h.agent.get(denied).set('Accept', 'application/json').expect(403);
  expect(res.body.error.code).toBe('access_denied');
});
