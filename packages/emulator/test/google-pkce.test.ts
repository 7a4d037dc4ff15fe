import { startEmulator, type Emulator } from '../src';
import { authorizationCode, exchange } from './helpers';

// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});

afterAll(() => emulator.stop());

describe('PKCE (RFC 7636)', () => {
  const s256 = { code_challenge: CHALLENGE, code_challenge_method: 'S256' };

  it('accepts the Appendix B verifier for its S256 challenge', async () => {
    const code = await authorizationCode(emulator, s256);
    const res = await exchange(emulator, code, { code_verifier: VERIFIER });
    expect(res.status).toBe(200);
  });

  it.each([
    ['a wrong verifier', { code_verifier: VERIFIER.replace('d', 'e') }, 'Invalid code verifier.'],
    ['a missing verifier', {}, 'Missing code verifier.'],
    ['the challenge sent as verifier', { code_verifier: CHALLENGE }, 'Invalid code verifier.'],
  ])('answers invalid_grant for %s', async (_label, extra, description) => {
    const res = await exchange(emulator, await authorizationCode(emulator, s256), extra);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant', error_description: description });
  });

  it('defaults to plain when only a challenge is sent', async () => {
    const code = await authorizationCode(emulator, { code_challenge: VERIFIER });
    expect((await exchange(emulator, code, { code_verifier: VERIFIER })).status).toBe(200);
  });

  it('refuses a verifier when no challenge was sent (RFC 9700 §2.1.1)', async () => {
    const res = await exchange(emulator, await authorizationCode(emulator), {
      code_verifier: VERIFIER,
    });
    expect(res.body.error).toBe('invalid_grant');
  });
});
