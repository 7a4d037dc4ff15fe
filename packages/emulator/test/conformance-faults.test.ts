// The faults behind the OpenID Foundation's relying-party conformance cases: each changes the
// real answer of one endpoint, and only that one answer.
import { createLocalJWKSet, decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { startEmulator, type Emulator } from '../src';
import { CLIENT, authorizationCode, callback, exchange, str } from './helpers';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterEach(() => emulator.clearFaults());
afterAll(() => emulator.stop());

const jwks = async () =>
  (await (await fetch(`${emulator.origin}/oauth2/v3/certs`)).json()) as { keys: JWK[] };
const idToken = async () =>
  str((await exchange(emulator, await authorizationCode(emulator))).body.id_token);

test('rewrite-json changes, adds and removes members of one token response', async () => {
  emulator.failNext('google', 'token', {
    kind: 'rewrite-json',
    set: { token_type: 'bearer', expires_in: undefined, extra: 1 },
  });
  const changed = (await exchange(emulator, await authorizationCode(emulator))).body;
  expect(changed).toMatchObject({ token_type: 'bearer', extra: 1 });
  expect(changed).not.toHaveProperty('expires_in');
  expect(typeof changed.access_token).toBe('string');
  const next = (await exchange(emulator, await authorizationCode(emulator))).body;
  expect(next).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
});

test('rewrite-json changes the discovery document once', async () => {
  const set = {
    issuer: 'https://evil.example',
    authorization_response_iss_parameter_supported: true,
  };
  emulator.failNext('google', 'discovery', { kind: 'rewrite-json', set });
  const url = `${emulator.origin}/.well-known/openid-configuration`;
  expect(await (await fetch(url)).json()).toMatchObject(set);
  expect(await (await fetch(url)).json()).not.toHaveProperty(
    'authorization_response_iss_parameter_supported',
  );
});

test('rewrite-redirect replaces and removes callback parameters', async () => {
  emulator.failNext('google', 'consent', {
    kind: 'rewrite-redirect',
    set: { iss: 'https://evil.example', state: undefined },
  });
  const url = await callback(emulator);
  expect(url.searchParams.get('iss')).toBe('https://evil.example');
  expect(url.searchParams.has('state')).toBe(false);
  expect(url.searchParams.get('code')).toBeTruthy();
});

test('id-token-signature: none, invalid, HS256 with the secret, no kid, PS256', async () => {
  const keys = createLocalJWKSet(await jwks());
  emulator.failNext('google', 'token', { kind: 'id-token-signature', signature: 'none' });
  const none = await idToken();
  expect(decodeProtectedHeader(none).alg).toBe('none');
  expect(none.endsWith('.')).toBe(true);

  emulator.failNext('google', 'token', { kind: 'id-token-signature', signature: 'invalid' });
  await expect(jwtVerify(await idToken(), keys)).rejects.toThrow(/signature/);

  emulator.failNext('google', 'token', {
    kind: 'id-token-signature',
    signature: 'hs256-client-secret',
  });
  const hs = await idToken();
  const secret = new TextEncoder().encode(CLIENT.clientSecret);
  expect((await jwtVerify(hs, secret)).protectedHeader.alg).toBe('HS256');

  emulator.failNext('google', 'token', { kind: 'id-token-signature', signature: 'no-kid' });
  const noKid = await idToken();
  expect(decodeProtectedHeader(noKid).kid).toBeUndefined();
  expect((await jwtVerify(noKid, keys)).payload.aud).toBe(CLIENT.clientId);

  emulator.failNext('google', 'token', { kind: 'id-token-signature', signature: 'ps256' });
  const pss = await idToken();
  expect(decodeProtectedHeader(pss).alg).toBe('PS256');
  // The signature is sound: only the algorithm is not the advertised one.
  const jwk = (await jwks()).keys[0]!;
  const publicKey = await importJWK({ ...jwk, alg: 'PS256' }, 'PS256');
  expect((await jwtVerify(pss, publicKey)).payload.aud).toBe(CLIENT.clientId);
  await expect(jwtVerify(pss, keys)).rejects.toThrow();
});

test('jwks-decoy-key serves a second key once', async () => {
  emulator.failNext('google', 'jwks', { kind: 'jwks-decoy-key' });
  const [signing] = (await jwks()).keys;
  emulator.failNext('kakao', 'jwks', { kind: 'jwks-decoy-key' });
  const kakao = (await (await fetch(`${emulator.origin}/.well-known/jwks.json`)).json()) as {
    keys: JWK[];
  };
  expect(kakao.keys).toHaveLength(2);
  expect(kakao.keys[0]).toEqual(signing);
  expect(kakao.keys[1]?.kid).not.toBe(signing?.kid);
});

test('appIdToken signs wrongly on request', async () => {
  const user = emulator.users('google')[0]!.sub;
  const token = await emulator.appIdToken('google', {
    user,
    clientId: CLIENT.clientId,
    signature: 'none',
  });
  expect(decodeProtectedHeader(token).alg).toBe('none');
});

test('faults bound to one endpoint, and malformed ones, are TypeErrors', () => {
  expect(() =>
    emulator.failNext('google', 'userinfo', { kind: 'id-token-signature', signature: 'none' }),
  ).toThrow(/token endpoint only/);
  expect(() => emulator.failNext('google', 'token', { kind: 'jwks-decoy-key' })).toThrow(TypeError);
  expect(() =>
    emulator.failNext('google', 'token', {
      kind: 'id-token-signature',
      signature: 'rot13' as 'none',
    }),
  ).toThrow(/fault.signature/);
  expect(() =>
    emulator.failNext('google', 'token', {
      kind: 'rewrite-json',
      set: null as unknown as Record<string, unknown>,
    }),
  ).toThrow(/fault.set/);
});
