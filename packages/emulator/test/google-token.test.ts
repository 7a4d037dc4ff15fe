import { startEmulator, type Emulator } from '../src';
import {
  authorizationCode,
  basic,
  CLIENT,
  exchange,
  REDIRECT_URI,
  str,
  token,
  userinfo,
} from './helpers';

const BAD_REQUEST = { error: 'invalid_grant', error_description: 'Bad Request' };
const INVALID_CLIENT = { error: 'invalid_client', error_description: 'Unauthorized' };

let emulator: Emulator;
let clock = Date.now();

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, now: () => clock });
});

afterAll(() => emulator.stop());

describe('authorization_code grant', () => {
  it('exchanges a code with client auth in the body', async () => {
    const res = await exchange(emulator, await authorizationCode(emulator));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^ya29\./),
      expires_in: 3599,
      token_type: 'Bearer',
      scope:
        'openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile',
      id_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    });
  });

  it('exchanges a code with HTTP Basic client auth', async () => {
    const code = await authorizationCode(emulator);
    const res = await token(
      emulator,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
      { Authorization: basic(CLIENT.clientId, CLIENT.clientSecret) },
    );
    expect(res.status).toBe(200);
    expect(res.body.access_token).toEqual(expect.any(String));
  });

  it('form-decodes Basic credentials (RFC 6749 §2.3.1)', async () => {
    emulator.registerClient({
      provider: 'google',
      clientId: 'id with:colon',
      clientSecret: 's3cr+t/%',
    });
    const code = await authorizationCode(emulator, { client_id: 'id with:colon' });
    const res = await token(
      emulator,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
      { Authorization: basic('id with:colon', 's3cr+t/%') },
    );
    expect(res.status).toBe(200);
  });

  it('omits id_token without openid and refresh_token without access_type=offline', async () => {
    const res = await exchange(emulator, await authorizationCode(emulator, { scope: 'email' }));
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('id_token');
    expect(res.body).not.toHaveProperty('refresh_token');
    expect(res.body.scope).toBe('https://www.googleapis.com/auth/userinfo.email');
  });

  it('refuses Basic and body credentials together with invalid_request', async () => {
    const res = await token(
      emulator,
      {
        grant_type: 'authorization_code',
        code: await authorizationCode(emulator),
        redirect_uri: REDIRECT_URI,
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
      },
      { Authorization: basic(CLIENT.clientId, CLIENT.clientSecret) },
    );
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it.each([
    ['a wrong secret in the body', { client_secret: 'wrong' }, {}],
    ['an unknown client', { client_id: 'nope' }, {}],
    [
      'a wrong secret in Basic',
      { client_id: '', client_secret: '' },
      { Authorization: basic(CLIENT.clientId, 'wrong') },
    ],
    [
      'a malformed Authorization header',
      { client_id: '', client_secret: '' },
      { Authorization: 'Basic !!!' },
    ],
  ])('answers 401 invalid_client for %s', async (_label, extra, headers) => {
    const form = {
      grant_type: 'authorization_code',
      code: 'x',
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      ...extra,
    };
    const res = await token(emulator, form, headers);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(INVALID_CLIENT);
  });

  it('says client_secret is missing like Google', async () => {
    const res = await token(emulator, {
      grant_type: 'authorization_code',
      code: 'x',
      client_id: CLIENT.clientId,
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'invalid_request',
      error_description: 'client_secret is missing.',
    });
  });

  it('accepts a code once; a replay fails and revokes what the code yielded (RFC 6749 §4.1.2)', async () => {
    const code = await authorizationCode(emulator);
    const first = await exchange(emulator, code);
    expect(first.status).toBe(200);
    expect((await userinfo(emulator, str(first.body.access_token))).status).toBe(200);
    const second = await exchange(emulator, code);
    expect(second.status).toBe(400);
    expect(second.body).toEqual(BAD_REQUEST);
    expect((await userinfo(emulator, str(first.body.access_token))).status).toBe(401);
  });

  it.each([
    ['a different redirect_uri', { redirect_uri: `${REDIRECT_URI}/other` }],
    ['no redirect_uri', { redirect_uri: '' }],
    ['an unknown code', { code: '4/0Aunknown' }],
  ])('answers invalid_grant for %s', async (_label, extra) => {
    const res = await exchange(emulator, await authorizationCode(emulator), extra);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(BAD_REQUEST);
  });

  it('refuses a code issued to another client', async () => {
    emulator.registerClient({
      provider: 'google',
      clientId: 'other',
      clientSecret: 'other-secret',
    });
    const code = await authorizationCode(emulator);
    const res = await exchange(emulator, code, {
      client_id: 'other',
      client_secret: 'other-secret',
    });
    expect(res.body).toEqual(BAD_REQUEST);
  });

  it('refuses a code older than 5 minutes', async () => {
    const code = await authorizationCode(emulator);
    clock += 5 * 60 * 1000;
    try {
      expect((await exchange(emulator, code)).body).toEqual(BAD_REQUEST);
    } finally {
      clock -= 5 * 60 * 1000;
    }
  });
});

describe('grant types and malformed requests', () => {
  const auth = { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };

  it('refuses the password grant (RFC 9700 §2.4)', async () => {
    const res = await token(emulator, {
      grant_type: 'password',
      username: 'a',
      password: 'b',
      ...auth,
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'Invalid grant_type: password',
    });
  });

  it('requires grant_type', async () => {
    const res = await token(emulator, auth);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it.each([
    [
      'a JSON body',
      'application/json',
      JSON.stringify({ grant_type: 'authorization_code', ...auth }),
    ],
    [
      'a truncated percent escape',
      'application/x-www-form-urlencoded',
      'grant_type=%E0%A4%A&code=%',
    ],
    ['no Content-Type', '', 'grant_type=authorization_code'],
    [
      'a repeated parameter',
      'application/x-www-form-urlencoded',
      'grant_type=password&grant_type=refresh_token',
    ],
  ])('answers 400 in the JSON error shape for %s', async (_label, type, body) => {
    const res = await fetch(`${emulator.origin}/token`, {
      method: 'POST',
      headers: type ? { 'Content-Type': type } : {},
      body: Buffer.from(body),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      error: expect.any(String),
      error_description: expect.any(String),
    });
  });

  it('counts rejected token requests too', async () => {
    emulator.resetCounts();
    await token(emulator, { grant_type: 'password', ...auth });
    await fetch(`${emulator.origin}/token`);
    expect(emulator.count('google', 'token')).toBe(2);
  });
});
