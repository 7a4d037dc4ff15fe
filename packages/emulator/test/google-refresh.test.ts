import { startEmulator, type Emulator } from '../src';
import { authorizationCode, CLIENT, exchange, str, token, userinfo } from './helpers';

const EXPIRED = { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' };

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});

afterAll(() => emulator.stop());

async function refreshToken(params: Record<string, string> = {}): Promise<string> {
  // prompt=consent: Google returns a refresh token again on every consent asked for this way.
  const code = await authorizationCode(emulator, {
    access_type: 'offline',
    prompt: 'consent',
    ...params,
  });
  return str((await exchange(emulator, code)).body.refresh_token);
}

function refresh(value: string, extra: Record<string, string> = {}) {
  return token(emulator, {
    grant_type: 'refresh_token',
    refresh_token: value,
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    ...extra,
  });
}

describe('refresh_token grant', () => {
  it('returns a refresh token on the first consent only, again with prompt=consent, and after a revoke', async () => {
    const user = '104834925480000000002'; // nobody else in this file consents as this user
    const offline = (extra: Record<string, string> = {}) =>
      authorizationCode(emulator, { access_type: 'offline', ...extra }, user).then((code) =>
        exchange(emulator, code),
      );
    const first = await offline();
    expect(first.body.refresh_token).toMatch(/^1\/\/0/);
    expect((await offline()).body.refresh_token).toBeUndefined();
    const again = await offline({ prompt: 'consent' });
    expect(again.body.refresh_token).toMatch(/^1\/\/0/);
    const revoked = await fetch(`${emulator.origin}/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: str(again.body.refresh_token) }),
    });
    expect(revoked.status).toBe(200);
    expect((await offline()).body.refresh_token).toMatch(/^1\/\/0/);
  });

  it('issues a refresh token for access_type=offline and refreshes without a new one', async () => {
    const code = await authorizationCode(emulator, { access_type: 'offline' });
    const first = await exchange(emulator, code);
    const refreshToken = str(first.body.refresh_token);
    expect(refreshToken).toMatch(/^1\/\/0/);
    const res = await token(emulator, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      access_token: expect.stringMatching(/^ya29\./),
      expires_in: 3599,
      scope: first.body.scope,
      token_type: 'Bearer',
      id_token: expect.any(String),
    });
    expect(res.body.access_token).not.toBe(first.body.access_token);
    expect((await userinfo(emulator, str(res.body.access_token))).status).toBe(200);
  });

  it('answers "Token has been expired or revoked." for a revoked or unknown refresh token', async () => {
    const code = await authorizationCode(emulator, { access_type: 'offline', prompt: 'consent' });
    const refreshToken = str((await exchange(emulator, code)).body.refresh_token);
    const form = {
      grant_type: 'refresh_token',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    };
    await fetch(`${emulator.origin}/revoke?token=${encodeURIComponent(refreshToken)}`, {
      method: 'POST',
    });
    for (const value of [refreshToken, '1//0unknown']) {
      const res = await token(emulator, { ...form, refresh_token: value });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(EXPIRED);
    }
  });

  it("refuses another client's refresh token", async () => {
    emulator.registerClient({
      provider: 'google',
      clientId: 'thief',
      clientSecret: 'thief-secret',
    });
    const code = await authorizationCode(emulator, { access_type: 'offline', prompt: 'consent' });
    const refreshToken = str((await exchange(emulator, code)).body.refresh_token);
    const res = await token(emulator, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: 'thief',
      client_secret: 'thief-secret',
    });
    expect(res.body.error).toBe('unauthorized_client');
  });
});

describe('refresh scope (RFC 6749 §6)', () => {
  it('may narrow the scope', async () => {
    const res = await refresh(await refreshToken(), { scope: 'email' });
    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('https://www.googleapis.com/auth/userinfo.email');
    expect(res.body).not.toHaveProperty('id_token');
    const info = await userinfo(emulator, str(res.body.access_token));
    expect(info.body).not.toHaveProperty('name');
  });

  it('may not widen it', async () => {
    const res = await refresh(await refreshToken({ scope: 'openid email' }), {
      scope: 'openid profile',
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_scope');
  });
});
