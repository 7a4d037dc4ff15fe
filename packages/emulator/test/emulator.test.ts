import { connect } from 'node:net';
import {
  DEFAULT_CLIENTS,
  DEFAULT_USERS,
  startEmulator,
  type Emulator,
  type EmulatorEndpoint,
  type GoogleUser,
} from '../src';
import {
  authorizationCode,
  authorizeUrl,
  exchange,
  REDIRECT_URI,
  revoke,
  str,
  userinfo,
} from './helpers';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(() => emulator.stop());

describe('defaults', () => {
  it('pre-registers the default Google client', () => {
    expect(DEFAULT_CLIENTS.google).toEqual({
      clientId: 'emulator-google-client-id',
      clientSecret: 'emulator-google-client-secret',
    });
  });

  it('ships a verified Gmail user, a Workspace user and an unverified user, all offline', () => {
    const [alice, ...rest] = DEFAULT_USERS.google;
    expect(alice).toMatchObject({
      name: 'Alice Kim',
      email_verified: true,
      email: expect.stringMatching(/@gmail\.com$/),
    });
    expect(alice?.sub).toMatch(/^\d{21}$/);
    expect(rest.some((user) => user.hd === 'example.org')).toBe(true);
    expect(rest.some((user) => user.email_verified === false)).toBe(true);
    for (const user of DEFAULT_USERS.google) {
      if (user.picture) expect(user.picture).toMatch(/^data:image\/svg\+xml,/);
    }
    expect(emulator.users('google')).toEqual(DEFAULT_USERS.google);
  });
});

describe('counts', () => {
  it('counts each endpoint, rejected requests included, until reset', async () => {
    emulator.resetCounts();
    const origin = emulator.origin;
    const code = await authorizationCode(emulator, { access_type: 'offline' });
    const body = (await exchange(emulator, code)).body;
    await exchange(emulator, code);
    await userinfo(emulator, str(body.access_token));
    await revoke(emulator, str(body.refresh_token));
    await fetch(`${origin}/.well-known/openid-configuration`);
    await fetch(`${origin}/oauth2/v3/certs`);
    await fetch(`${origin}/revoke`);
    const expected: Record<EmulatorEndpoint, number> = {
      discovery: 1,
      authorize: 1,
      consent: 1,
      token: 2,
      userinfo: 1,
      jwks: 1,
      revoke: 2,
      logout: 0,
      tokeninfo: 0,
    };
    for (const [endpoint, n] of Object.entries(expected)) {
      expect([endpoint, emulator.count('google', endpoint as EmulatorEndpoint)]).toEqual([
        endpoint,
        n,
      ]);
    }
    emulator.resetCounts();
    expect(emulator.count('google', 'token')).toBe(0);
  });
});

describe('clients', () => {
  it('validates a client without echoing its secret', () => {
    expect(() =>
      emulator.registerClient({ provider: 'google', clientId: 'c', clientSecret: '' }),
    ).toThrow(/clientSecret/);
    let message = '';
    try {
      emulator.registerClient({
        provider: 'google',
        clientId: 'c',
        clientSecret: 'hunter2',
        redirectUris: ['not a url'],
      });
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/redirectUris/);
    expect(message).not.toContain('hunter2');
  });

  it('registers clients given at start', async () => {
    const other = await startEmulator({
      clients: [
        { provider: 'google', clientId: 'app', clientSecret: 's', redirectUris: [REDIRECT_URI] },
      ],
    });
    try {
      const res = await fetch(authorizeUrl(other, { client_id: 'app' }));
      expect(res.status).toBe(200);
    } finally {
      await other.stop();
    }
  });
});

describe('custom users', () => {
  const dana: GoogleUser = {
    sub: '42',
    email: 'dana@example.com',
    email_verified: true,
    name: 'Dana',
  };

  it('replaces the default users', async () => {
    const other = await startEmulator({ users: { google: [dana] } });
    try {
      expect(other.users('google')).toEqual([dana]);
      const html = await (await fetch(authorizeUrl(other))).text();
      expect(html).toContain('dana@example.com');
      expect(html).not.toContain('Alice Kim');
      const res = await exchange(other, await authorizationCode(other));
      expect((await userinfo(other, str(res.body.access_token))).body.sub).toBe('42');
    } finally {
      await other.stop();
    }
  });

  it('refuses duplicate subjects', async () => {
    await expect(startEmulator({ users: { google: [dana, dana] } })).rejects.toThrow(/duplicated/);
  });
});

describe('lifecycle', () => {
  it('two emulators have their own origins and keys', async () => {
    const other = await startEmulator();
    try {
      expect(other.origin).not.toBe(emulator.origin);
      const code = await authorizationCode(emulator);
      const accessToken = str((await exchange(emulator, code)).body.access_token);
      expect((await userinfo(other, accessToken)).status).toBe(401);
      const keys = async (e: Emulator) => (await fetch(`${e.origin}/oauth2/v3/certs`)).json();
      expect(await keys(other)).not.toEqual(await keys(emulator));
    } finally {
      await other.stop();
    }
  });

  it('stop() closes connections still in use and can be called twice', async () => {
    const other = await startEmulator();
    const { port } = new URL(other.origin);
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => undefined); // the reset is the point of the test
    await new Promise((resolve) => socket.once('connect', resolve));
    // A request whose body never finishes: close() alone would wait for it indefinitely.
    socket.write(`POST /token HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\ngrant_type=`);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await other.stop();
    await closed;
    await other.stop();
    await expect(fetch(`${other.origin}/.well-known/openid-configuration`)).rejects.toThrow();
  });

  it('survives a client that disconnects mid-body', async () => {
    const { port } = new URL(emulator.origin);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const head = 'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100';
    socket.write(`POST /revoke HTTP/1.1\r\nHost: x\r\n${head}\r\n\r\ntoken=`, () =>
      socket.destroy(),
    );
    await new Promise((resolve) => socket.once('close', resolve));
    expect((await revoke(emulator, 'ya29.unknown')).status).toBe(400);
  });
});
