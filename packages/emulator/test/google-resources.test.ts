import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { createHash } from 'node:crypto';
import { DEFAULT_USERS, startEmulator, type Emulator } from '../src';
import { authorizationCode, CLIENT, exchange, revoke, str, userinfo } from './helpers';

const INVALID_CREDENTIALS = { error: 'invalid_request', error_description: 'Invalid Credentials' };
const INVALID_TOKEN = { error: 'invalid_token', error_description: 'Bad Request' };

let emulator: Emulator;
let clock = Date.now();
const [alice, bob, carol] = DEFAULT_USERS.google;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, now: () => clock });
});

afterAll(() => emulator.stop());

async function tokens(params: Record<string, string> = {}, user?: string) {
  const res = await exchange(emulator, await authorizationCode(emulator, params, user));
  expect(res.status).toBe(200);
  return res.body;
}

describe('discovery and JWKS', () => {
  it("serves Google's discovery document: Google's issuer, endpoints on the emulator's origin", async () => {
    const res = await fetch(`${emulator.origin}/.well-known/openid-configuration`);
    const doc = (await res.json()) as Record<string, unknown>;
    const origin = emulator.origin;
    expect(doc).toMatchObject({
      issuer: 'https://accounts.google.com',
      authorization_endpoint: `${origin}/o/oauth2/v2/auth`,
      token_endpoint: `${origin}/token`,
      userinfo_endpoint: `${origin}/v1/userinfo`,
      revocation_endpoint: `${origin}/revoke`,
      jwks_uri: `${origin}/oauth2/v3/certs`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['plain', 'S256'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves a public RS256 signing key', async () => {
    const jwks = (await (await fetch(`${emulator.origin}/oauth2/v3/certs`)).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      kid: expect.any(String),
    });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});

describe('ID token', () => {
  it('verifies against the JWKS with issuer, audience and nonce (OIDC Core §3.1.3.7)', async () => {
    const body = await tokens({ nonce: 'nonce-abc' });
    const idToken = str(body.id_token);
    const jwks = createRemoteJWKSet(new URL(`${emulator.origin}/oauth2/v3/certs`));
    const { payload, protectedHeader } = await jwtVerify(idToken, jwks, {
      issuer: 'https://accounts.google.com',
      audience: CLIENT.clientId,
      algorithms: ['RS256'],
    });
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload).toMatchObject({
      azp: CLIENT.clientId,
      sub: alice?.sub,
      email: alice?.email,
      email_verified: true,
      name: 'Alice Kim',
      given_name: 'Alice',
      family_name: 'Kim',
      picture: alice?.picture,
      nonce: 'nonce-abc',
    });
    expect(payload.exp).toBe((payload.iat ?? 0) + 3600);
    expect(payload).not.toHaveProperty('hd');
    const digest = createHash('sha256').update(str(body.access_token)).digest();
    expect(payload.at_hash).toBe(digest.subarray(0, 16).toString('base64url'));
  });

  it('carries hd for a Workspace user and email_verified false when unverified', async () => {
    const decode = (jwt: string) =>
      JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<
        string,
        unknown
      >;
    const workspace = decode(str((await tokens({}, bob?.email)).id_token));
    expect(workspace.hd).toBe('example.org');
    const unverified = decode(str((await tokens({}, carol?.sub)).id_token));
    expect(unverified.email_verified).toBe(false);
    expect(unverified).not.toHaveProperty('nonce');
  });

  it('has no email claims without the email scope', async () => {
    const idToken = str((await tokens({ scope: 'openid profile' })).id_token);
    expect(decodeProtectedHeader(idToken).alg).toBe('RS256');
    const payload = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString());
    expect(payload).not.toHaveProperty('email');
    expect(payload.name).toBe('Alice Kim');
  });
});

describe('userinfo', () => {
  it('returns profile and email fields for openid email profile', async () => {
    const res = await userinfo(emulator, str((await tokens()).access_token));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      sub: alice?.sub,
      name: 'Alice Kim',
      given_name: 'Alice',
      family_name: 'Kim',
      picture: alice?.picture,
      email: 'alice.kim@gmail.com',
      email_verified: true,
      locale: 'en',
    });
  });

  it('releases only what the scopes allow', async () => {
    const onlyOpenid = await userinfo(
      emulator,
      str((await tokens({ scope: 'openid' })).access_token),
    );
    expect(onlyOpenid.body).toEqual({ sub: alice?.sub });
    const email = await userinfo(
      emulator,
      str((await tokens({ scope: 'email' }, bob?.sub)).access_token),
    );
    expect(email.body).toEqual({
      sub: bob?.sub,
      email: bob?.email,
      email_verified: true,
      hd: 'example.org',
    });
  });

  it('accepts POST and a lower-case scheme', async () => {
    const accessToken = str((await tokens()).access_token);
    const res = await fetch(`${emulator.origin}/v1/userinfo`, {
      method: 'POST',
      headers: { Authorization: `bearer ${accessToken}` },
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ['no Authorization header', undefined],
    ['an unknown token', 'Bearer ya29.unknown'],
    ['another scheme', 'Basic abc'],
    ['an empty bearer', 'Bearer '],
  ])('answers 401 Invalid Credentials for %s', async (_label, authorization) => {
    const res = await fetch(`${emulator.origin}/v1/userinfo`, {
      headers: authorization === undefined ? {} : { Authorization: authorization },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="https://accounts.google.com/", error="invalid_token"',
    );
    expect(await res.json()).toEqual(INVALID_CREDENTIALS);
  });

  it('rejects an access token after its hour', async () => {
    const accessToken = str((await tokens()).access_token);
    clock += 3599 * 1000;
    try {
      expect((await userinfo(emulator, accessToken)).status).toBe(401);
    } finally {
      clock -= 3599 * 1000;
    }
  });
});

describe('revoke', () => {
  it('revokes an access token once: 200 {}, then 400 invalid_token', async () => {
    const accessToken = str((await tokens()).access_token);
    const first = await revoke(emulator, accessToken);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({});
    expect((await userinfo(emulator, accessToken)).body).toEqual(INVALID_CREDENTIALS);
    const second = await revoke(emulator, accessToken);
    expect(second.status).toBe(400);
    expect(second.body).toEqual(INVALID_TOKEN);
  });

  it('revoking a refresh token kills the access tokens issued with it', async () => {
    const body = await tokens({ access_type: 'offline' });
    expect((await revoke(emulator, str(body.refresh_token))).status).toBe(200);
    expect((await userinfo(emulator, str(body.access_token))).status).toBe(401);
  });

  it('takes the token from the query string too', async () => {
    const accessToken = str((await tokens()).access_token);
    const res = await fetch(`${emulator.origin}/revoke?token=${encodeURIComponent(accessToken)}`, {
      method: 'POST',
    });
    expect(res.status).toBe(200);
  });

  it('answers 400 for an unknown token and 404 for GET', async () => {
    expect((await revoke(emulator, 'ya29.unknown')).body).toEqual(INVALID_TOKEN);
    const get = await fetch(`${emulator.origin}/revoke?token=x`);
    expect(get.status).toBe(404);
  });
});

it('answers 404 for unknown paths and other methods', async () => {
  for (const [method, path] of [
    ['GET', '/nope'],
    ['GET', '/token'],
    ['POST', '/.well-known/openid-configuration'],
    ['GET', '/o/oauth2/v2/auth/'],
  ] as const) {
    const res = await fetch(`${emulator.origin}${path}`, { method });
    expect(res.status).toBe(404);
  }
});
