// Emulator.nextIdTokenClaims: test-only changes to the next ID token, for clients' §3.1.3.7 checks.
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { startEmulator, type Emulator } from '../src';
import { CLIENT, authorizationCode, exchange, str } from './helpers';
import { KAKAO, kakaoLogin } from './kakao-helpers';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});

afterEach(() => emulator.clearFaults());

afterAll(() => emulator.stop());

async function googleTokens() {
  return (await exchange(emulator, await authorizationCode(emulator))).body;
}

it('replaces, adds and removes claims of the next Google ID token only, still signed', async () => {
  emulator.nextIdTokenClaims('google', {
    aud: [CLIENT.clientId, 'another-client'],
    azp: undefined,
    iat: undefined,
    extra: 'x',
  });
  const changed = str((await googleTokens()).id_token);
  const jwks = createRemoteJWKSet(new URL(`${emulator.origin}/oauth2/v3/certs`));
  const { payload } = await jwtVerify(changed, jwks, { issuer: 'https://accounts.google.com' });
  expect(payload.aud).toEqual([CLIENT.clientId, 'another-client']);
  expect(payload).not.toHaveProperty('azp');
  expect(payload).not.toHaveProperty('iat');
  expect(payload.extra).toBe('x');
  expect(payload.exp).toEqual(expect.any(Number));

  const next = decodeJwt(str((await googleTokens()).id_token));
  expect(next).toMatchObject({ aud: CLIENT.clientId, azp: CLIENT.clientId });
  expect(next.iat).toEqual(expect.any(Number));
});

it("'omit' sends the token response without id_token, access token intact", async () => {
  emulator.nextIdTokenClaims('google', 'omit');
  const body = await googleTokens();
  expect(body).not.toHaveProperty('id_token');
  expect(body.access_token).toEqual(expect.any(String));
  expect((await googleTokens()).id_token).toEqual(expect.any(String));
});

it('queues in order, and applies to Kakao ID tokens too', async () => {
  emulator.nextIdTokenClaims('kakao', { aud: 'someone-else' });
  emulator.nextIdTokenClaims('kakao', 'omit');
  const scope = { scope: 'openid,profile_nickname' };
  expect(decodeJwt(str((await kakaoLogin(emulator, {}, scope)).body.id_token)).aud).toBe(
    'someone-else',
  );
  expect((await kakaoLogin(emulator, {}, scope)).body).not.toHaveProperty('id_token');
  expect(decodeJwt(str((await kakaoLogin(emulator, {}, scope)).body.id_token)).aud).toBe(
    KAKAO.clientId,
  );
});

it('clearFaults drops queued overrides; Naver and malformed overrides are refused', async () => {
  emulator.nextIdTokenClaims('google', 'omit');
  emulator.clearFaults();
  expect((await googleTokens()).id_token).toEqual(expect.any(String));
  expect(() => emulator.nextIdTokenClaims('naver' as 'google', {})).toThrow(TypeError);
  expect(() => emulator.nextIdTokenClaims('google', 'drop' as 'omit')).toThrow(TypeError);
  expect(() => emulator.nextIdTokenClaims('google', null as unknown as 'omit')).toThrow(TypeError);
});
