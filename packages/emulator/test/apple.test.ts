// The emulated Sign in with Apple in its wire format (developer.apple.com, Sign in with Apple
// REST API, checked 2026-12-07): form_post answers, the client secret JWT checked against the
// registered key, Apple's error bodies, revoke, notifications.
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import {
  approveConsentResponse,
  DEFAULT_CLIENTS,
  DEFAULT_USERS,
  startEmulator,
  type Emulator,
} from '../src';

const client = DEFAULT_CLIENTS.apple;
const REDIRECT = 'https://app.example/auth/apple/callback';
const [MINJI] = DEFAULT_USERS.apple;
const key = createPrivateKey(client.privateKey);

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
function secret(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  signer = key,
): string {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'ES256', kid: client.keyId, ...header })}.${b64({
    iss: client.teamId,
    iat: now,
    exp: now + 3600,
    aud: 'https://appleid.apple.com',
    sub: client.clientId,
    ...claims,
  })}`;
  const signature = sign('sha256', Buffer.from(input), { key: signer, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());

const authorizeURL = (params: Record<string, string>) =>
  `${emulator.origin}/auth/authorize?${new URLSearchParams({
    client_id: client.clientId,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'name email',
    response_mode: 'form_post',
    state: 'st',
    nonce: 'nn',
    ...params,
  })}`;

const token = (form: Record<string, string>) =>
  fetch(`${emulator.origin}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });

async function code(): Promise<string> {
  const answer = await approveConsentResponse(authorizeURL({}), { user: MINJI!.sub });
  if (answer.method !== 'POST') throw new Error('expected a form post');
  return answer.form.get('code')!;
}

test('scopes need form_post: Apple’s own error page, no redirect', async () => {
  const res = await fetch(authorizeURL({ response_mode: 'query' }), { redirect: 'manual' });
  expect(res.status).toBe(400);
  expect(await res.text()).toContain(
    'response_mode must be form_post when name or email scope is requested.',
  );
});

test('the answer is a page that posts code, state and (the first time) user, by script', async () => {
  emulator.registerClient({ ...client, provider: 'apple', clientId: 'first-time-client' });
  const url = authorizeURL({ client_id: 'first-time-client' });
  const first = await approveConsentResponse(url, { user: MINJI!.sub });
  expect(first).toMatchObject({ method: 'POST', url: REDIRECT });
  if (first.method !== 'POST') return;
  expect(first.form.get('state')).toBe('st');
  expect(first.form.get('code')).toMatch(/^c\./);
  expect(JSON.parse(first.form.get('user')!)).toEqual({
    name: { firstName: '민지', lastName: '김' },
    email: 'minji.kim@icloud.com',
  });
  const again = await approveConsentResponse(url, { user: MINJI!.sub });
  expect(again.method === 'POST' && again.form.has('user')).toBe(false);

  // The page itself: one script, allowed by its nonce; nothing else may run.
  const page = await fetch(url);
  const tx = /name="tx" value="([^"]+)"/.exec(await page.text())![1]!;
  const posted = await fetch(`${emulator.origin}/__emulator/consent`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ tx, provider: 'apple', user: MINJI!.sub, action: 'approve' }),
  });
  const csp = posted.headers.get('content-security-policy')!;
  const nonce = /'nonce-([^']+)'/.exec(csp)![1];
  const html = await posted.text();
  expect(html).toContain(`<script nonce="${nonce}">`);
  expect(html).toContain(`action="${REDIRECT}"`);
  expect(csp).not.toContain('form-action');
});

test('Cancel posts user_cancelled_authorize', async () => {
  const answer = await approveConsentResponse(authorizeURL({}), { deny: true });
  expect(answer.method === 'POST' && Object.fromEntries(answer.form)).toEqual({
    state: 'st',
    error: 'user_cancelled_authorize',
  });
});

test('the token endpoint checks the client secret JWT as Apple does', async () => {
  const base = { grant_type: 'authorization_code', redirect_uri: REDIRECT };
  const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const now = Math.floor(Date.now() / 1000);
  const bad = [
    secret({}, { kid: 'OTHERKEY00' }),
    secret({}, {}, other),
    secret({ iss: 'OTHERTEAM0' }),
    secret({ sub: 'another.client' }),
    secret({ aud: 'https://appleid.apple.com/' }),
    secret({ exp: now - 1 }),
    secret({ exp: now + 15_777_000 + 60 }),
    secret().slice(0, -4),
    'not-a-jwt',
  ];
  for (const clientSecret of bad) {
    const res = await token({
      ...base,
      code: await code(),
      client_id: client.clientId,
      client_secret: clientSecret,
    });
    expect([clientSecret.slice(-8), res.status, await res.json()]).toEqual([
      clientSecret.slice(-8),
      400,
      { error: 'invalid_client' },
    ]);
  }
  const good = await code();
  const ok = await token({
    ...base,
    code: good,
    client_id: client.clientId,
    client_secret: secret(),
  });
  expect(ok.status).toBe(200);
  const body = (await ok.json()) as Record<string, string | number>;
  expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
  expect(Object.keys(body).sort()).toEqual(
    ['access_token', 'expires_in', 'id_token', 'refresh_token', 'token_type'].sort(),
  );
  const jwks = (await (await fetch(`${emulator.origin}/auth/keys`)).json()) as JSONWebKeySet;
  const { payload } = await jwtVerify(String(body.id_token), createLocalJWKSet(jwks), {
    issuer: 'https://appleid.apple.com',
    audience: client.clientId,
    algorithms: ['RS256'],
  });
  expect(payload).toMatchObject({ sub: MINJI!.sub, nonce: 'nn', email_verified: 'true' });
  expect(payload.name).toBeUndefined();
  // Refresh: no new refresh token; revoke: 200, empty, and the grant is gone.
  const refresh = {
    grant_type: 'refresh_token',
    refresh_token: String(body.refresh_token),
    client_id: client.clientId,
    client_secret: secret(),
  };
  const refreshed = (await (await token(refresh)).json()) as Record<string, unknown>;
  expect(refreshed.refresh_token).toBeUndefined();
  expect(refreshed.id_token).toEqual(expect.any(String));
  const revoked = await fetch(`${emulator.origin}/auth/revoke`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: client.clientId,
      client_secret: secret(),
      token: String(body.refresh_token),
      token_type_hint: 'refresh_token',
    }),
  });
  expect([revoked.status, await revoked.text()]).toEqual([200, '']);
  expect((await token(refresh)).status).toBe(400);
  // A used code is invalid_grant (and what it gave is revoked, RFC 6749 §4.1.2).
  const reused = await token({
    ...base,
    code: good,
    client_id: client.clientId,
    client_secret: secret(),
  });
  expect([reused.status, await reused.json()]).toEqual([400, { error: 'invalid_grant' }]);
});

test('a notification is {"payload": JWT} signed with the JWKS key, events a JSON string', async () => {
  let received: { type?: string; body: string } = { body: '' };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received = { type: req.headers['content-type'], body };
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const sent = await emulator.sendUnlink('apple', {
      to: `http://127.0.0.1:${port}/hook`,
      user: MINJI!.sub,
      event: 'account-deleted',
    });
    expect(sent.status).toBe(200);
    expect(received.type).toMatch(/^application\/json/);
    const { payload } = JSON.parse(received.body) as { payload: string };
    const jwks = (await (await fetch(`${emulator.origin}/auth/keys`)).json()) as JSONWebKeySet;
    await jwtVerify(payload, createLocalJWKSet(jwks), { issuer: 'https://appleid.apple.com' });
    const claims = decodeJwt(payload);
    expect(claims.aud).toBe(client.appClientIds[0]);
    expect(typeof claims.jti).toBe('string');
    expect(typeof claims.events).toBe('string');
    expect(JSON.parse(claims.events as string)).toMatchObject({
      type: 'account-deleted',
      sub: MINJI!.sub,
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('an Apple client is registered with its key, not a secret', () => {
  const { clientId, teamId, keyId, publicKey } = client;
  expect(() => emulator.registerClient({ provider: 'apple', clientId, teamId, keyId })).toThrow(
    /client.publicKey must be a non-empty string/,
  );
  expect(() =>
    emulator.registerClient({ provider: 'apple', clientId, teamId, keyId, publicKey: 'x' }),
  ).toThrow(/client.publicKey must be a PEM public key/);
  expect(() =>
    emulator.registerClient({ provider: 'apple', clientId, teamId, keyId, publicKey }),
  ).not.toThrow();
});
