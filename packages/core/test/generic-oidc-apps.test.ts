// oidc() grown up (issue 19, part 2): a provider without a userinfo endpoint (the ID token is
// the profile), native token sign-in with an audience allow-list, and form_post callbacks, all
// against the emulator's Google configured as a generic provider.
import supertest from 'supertest';
import { DEFAULT_CLIENTS, DEFAULT_USERS, startEmulator, type Emulator } from '@socialauth/emulator';
import { oidc } from '../src';
import { consent, mountProvider } from '@socialauth/testkit';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());

const mount = mountProvider;

const google = (extra: Partial<Parameters<typeof oidc>[0]> = {}) =>
  oidc({
    id: 'g',
    issuer: 'https://accounts.google.com',
    origin: emulator.origin,
    ...DEFAULT_CLIENTS.google,
    ...extra,
  });
const ALICE = DEFAULT_USERS.google[0]!;

test('no userinfo_endpoint in discovery: the verified ID token is the profile', async () => {
  emulator.failNext('google', 'discovery', {
    kind: 'rewrite-json',
    set: { userinfo_endpoint: undefined },
  });
  const app = await mount(google());
  try {
    const start = await app.agent.get('/auth/g').expect(302);
    const back = await consent(new URL(start.headers.location as string));
    expect((await app.agent.get(back)).headers.location).toBe('/');
    const { user } = (await app.agent.get('/auth/session').expect(200)).body;
    expect(user).toMatchObject({ name: ALICE.name, email: ALICE.email });
    expect(emulator.count('google', 'userinfo')).toBe(0);
  } finally {
    await app.close();
  }
});

test('native sign-in: an ID token for one of appClientIds, and none other', async () => {
  const app = await mount(google({ appClientIds: ['my-android-client'] }));
  try {
    const token = (clientId: string) =>
      emulator.appIdToken('google', { user: ALICE.sub, clientId, nonce: 'n-1' });
    const ok = await app.agent
      .post('/auth/g/token')
      .send({ idToken: await token('my-android-client'), nonce: 'n-1' });
    expect([ok.status, ok.body.user?.email]).toEqual([200, ALICE.email]);
    const foreign = await supertest(app.url)
      .post('/auth/g/token')
      .set('Accept', 'application/json')
      .send({ idToken: await token('someone-else') });
    expect(foreign.body.error.code).toBe('token_audience_mismatch');
  } finally {
    await app.close();
  }
  // Without appClientIds there is no token sign-in at all.
  const bare = await mount(google());
  try {
    const res = await bare.agent
      .post('/auth/g/token')
      .set('Accept', 'application/json')
      .send({ idToken: 'x' });
    expect([res.status, res.body.error.code]).toEqual([404, 'unknown_provider']);
  } finally {
    await bare.close();
  }
});

test('responseMode form_post: asked for, and a GET callback refused', async () => {
  const app = await mount(google({ responseMode: 'form_post' }));
  try {
    const start = await app.agent.get('/auth/g').expect(302);
    expect(new URL(start.headers.location as string).searchParams.get('response_mode')).toBe(
      'form_post',
    );
    const res = await app.agent
      .get('/auth/g/callback?code=x&state=y')
      .set('Accept', 'application/json');
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_request']);
  } finally {
    await app.close();
  }
});
