// Callbacks by form POST (OAuth 2.0 Form Post Response Mode), from core's side: only a provider
// whose flow says `responseMode: 'form_post'` takes them (Apple's end to end is in
// packages/apple/test), and a provider without a profile endpoint must have its ID token checked.
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { socialAuth, type ProviderPlugin } from '@socialauth/core';
import { SECRET, startHarness, type Harness } from '@socialauth/testkit';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

test('a provider that answers in the query refuses a POST callback, before reading any state', async () => {
  const res = await h.agent
    .post('/auth/google/callback')
    .set('Accept', 'application/json')
    .type('form')
    .send('code=x&state=y');
  expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request']);
  expect(h.emulator.count('google', 'token')).toBe(0);
});

test('no profile endpoint and no ID token policy: refused at start-up, naming the field', () => {
  const base = google({ ...DEFAULT_CLIENTS.google });
  const { idToken: _none, ...withoutIdToken } = base;
  const plugin: ProviderPlugin = {
    ...withoutIdToken,
    id: 'no-profile',
    authCode: {
      ...base.authCode,
      endpoints: { authorize: 'https://idp.example/a', token: 'https://idp.example/t', pkce: true },
    },
  };
  expect(() =>
    socialAuth({ baseURL: 'http://localhost:3000', secret: SECRET, providers: [plugin] }),
  ).toThrow(
    /providers\[0\] \(no-profile\): authCode.endpoints.profile is required without an idToken policy/,
  );
  // With the policy, the ID token is the profile.
  expect(() =>
    socialAuth({
      baseURL: 'http://localhost:3000',
      secret: SECRET,
      providers: [{ ...plugin, idToken: base.idToken }],
    }),
  ).not.toThrow();
});
