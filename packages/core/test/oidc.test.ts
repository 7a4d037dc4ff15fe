import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { consent, editSession, start, startHarness, type Harness } from './helpers';

// OpenID Connect Core §3.1.3.7: the ID token Google's emulator signs is checked for real.
describe('ID token checks', () => {
  let h: Harness;
  afterEach(() => h.close());

  test('a nonce that does not match the flow: id_token_invalid, no session', async () => {
    h = await startHarness();
    const back = await consent(await start(h.agent));
    editSession(h.store, (data) => {
      for (const flow of Object.values(data.socialauth?.flows ?? {})) flow.nonce = 'another-nonce';
    });
    const res = await h.agent.get(back).set('Accept', 'application/json');
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('id_token_invalid');
    await h.agent.get('/auth/session').expect(401);
    expect(h.logs.join('\n')).toContain('nonce does not match');
  });

  test('an issuer other than the one the flow was sent to: id_token_invalid', async () => {
    // Same server, other spelling of its origin: the token's iss (127.0.0.1) is not the expected one.
    h = await startHarness((emulator) => ({
      providers: [
        google({
          ...DEFAULT_CLIENTS.google,
          origin: emulator.origin.replace('127.0.0.1', 'localhost'),
        }),
      ],
    }));
    const back = await consent(await start(h.agent));
    const res = await h.agent.get(back).set('Accept', 'application/json');
    expect(res.body.error.code).toBe('id_token_invalid');
    expect(h.logs.join('\n')).toMatch(/"iss" claim/);
  });
});
