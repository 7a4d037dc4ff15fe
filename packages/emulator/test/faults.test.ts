import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { startEmulator, type Emulator } from '../src';
import { FaultQueue } from '../src/faults';
import { authorizationCode, exchange, str, token } from './helpers';
import { kakaoApi, kakaoLogin } from './kakao-helpers';
import { naverCode, naverExchange, naverLogin, naverMe } from './naver-helpers';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});

afterEach(() => emulator.clearFaults());

afterAll(() => emulator.stop());

/** Polls until the emulator has received a request; bounded, so a regression fails, not hangs. */
async function arrival(
  target: Emulator,
  provider: 'google' | 'kakao',
  endpoint: 'token' | 'discovery',
) {
  for (let i = 0; i < 1000 && target.count(provider, endpoint) === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(target.count(provider, endpoint)).toBe(1);
}

describe('status', () => {
  it('answers the next request with the status and body, then the endpoint recovers', async () => {
    const code = await naverCode(emulator);
    emulator.resetCounts();
    emulator.failNext('naver', 'token', {
      kind: 'status',
      status: 503,
      body: 'Service Unavailable',
    });
    const failed = await naverExchange(emulator, code);
    expect([failed.status, failed.text]).toEqual([503, 'Service Unavailable']);
    expect(failed.headers.get('content-type')).toMatch(/^text\/plain/);
    // The fault replaced the handler: the code was not spent and works now.
    const ok = await naverExchange(emulator, code);
    expect(ok.body.access_token).toEqual(expect.any(String));
    expect(emulator.count('naver', 'token')).toBe(2);
  });

  it('labels a JSON body as JSON', async () => {
    const body = JSON.stringify({ error: 'server_error' });
    emulator.failNext('kakao', 'userinfo', { kind: 'status', status: 500, body });
    const { access } = await kakaoLogin(emulator);
    const res = await kakaoApi(emulator, '/v2/user/me', access);
    expect([res.status, res.body]).toEqual([500, { error: 'server_error' }]);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('queues several faults first in, first out, per endpoint', async () => {
    emulator.failNext('google', 'discovery', { kind: 'status', status: 500 });
    emulator.failNext('google', 'discovery', { kind: 'status', status: 503 });
    emulator.failNext('google', 'jwks', { kind: 'status', status: 502 });
    const discovery = `${emulator.origin}/.well-known/openid-configuration`;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(discovery)).status);
    expect(statuses).toEqual([500, 503, 200]);
    expect((await fetch(`${emulator.origin}/oauth2/v3/certs`)).status).toBe(502);
  });

  it('can fail the consent page submission', async () => {
    emulator.failNext('naver', 'consent', { kind: 'status', status: 500, body: 'oops' });
    await expect(naverCode(emulator)).rejects.toThrow(/HTTP 500/);
  });
});

describe('malformed-json', () => {
  it('sends 200, a JSON content type and a body no JSON parser accepts', async () => {
    const { access } = await naverLogin(emulator);
    emulator.failNext('naver', 'userinfo', { kind: 'malformed-json' });
    const res = await fetch(`${emulator.origin}/v1/nid/me`, {
      headers: { Authorization: `Bearer ${access}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    await expect(res.json()).rejects.toThrow(/JSON/);
    expect((await naverMe(emulator, access)).status).toBe(200);
  });
});

describe('error-200', () => {
  it('sends the error body with HTTP 200', async () => {
    const body = { error: 'server_error', error_description: 'temporarily unavailable' };
    emulator.failNext('google', 'token', { kind: 'error-200', body });
    const res = await exchange(emulator, await authorizationCode(emulator));
    expect([res.status, res.body]).toEqual([200, body]);
  });
});

describe('redirect', () => {
  it('answers the status with the Location, once', async () => {
    emulator.failNext('google', 'token', {
      kind: 'redirect',
      status: 307,
      location: 'http://127.0.0.1:9/elsewhere',
    });
    const res = await fetch(`${emulator.origin}/token`, { method: 'POST', redirect: 'manual' });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe('http://127.0.0.1:9/elsewhere');
    expect((await token(emulator, { grant_type: 'password' })).status).toBe(400);
  });
});

describe('oversized', () => {
  it('streams the bytes in full to a client that reads them all, then reports them', async () => {
    let written = -1;
    const closed = new Promise<void>((resolve) =>
      emulator.failNext('google', 'userinfo', {
        kind: 'oversized',
        bytes: 200_000,
        onClose: (n) => {
          written = n;
          resolve();
        },
      }),
    );
    const res = await fetch(`${emulator.origin}/v1/userinfo`);
    expect(res.headers.get('content-length')).toBeNull();
    expect((await res.arrayBuffer()).byteLength).toBe(200_000);
    await closed;
    expect(written).toBe(200_000);
  });

  it('stops writing when the client hangs up', async () => {
    const closed = new Promise<number>((resolve) =>
      emulator.failNext('google', 'userinfo', {
        kind: 'oversized',
        bytes: 64 * 1024 * 1024,
        declareLength: true,
        onClose: resolve,
      }),
    );
    const res = await fetch(`${emulator.origin}/v1/userinfo`);
    expect(res.headers.get('content-length')).toBe(String(64 * 1024 * 1024));
    await res.body?.cancel();
    expect(await closed).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('delay', () => {
  it('answers normally once the delay is over', async () => {
    const code = await authorizationCode(emulator);
    emulator.failNext('google', 'token', { kind: 'delay', ms: 50 });
    const res = await exchange(emulator, code);
    expect(res.status).toBe(200);
    expect(str(res.body.access_token)).toMatch(/^ya29\./);
  });

  it('does not keep stop() waiting', async () => {
    const other = await startEmulator();
    other.failNext('kakao', 'token', { kind: 'delay', ms: 10 * 60 * 1000 });
    const pending = fetch(`${other.origin}/oauth/token`, { method: 'POST' }).then(
      () => 'answered',
      () => 'dropped',
    );
    try {
      await arrival(other, 'kakao', 'token');
    } finally {
      // A held request would keep this await open for ten minutes (and the test would time out).
      await other.stop();
    }
    expect(await pending).toBe('dropped');
  });

  it('survives a client that gives up while held', async () => {
    emulator.resetCounts();
    emulator.failNext('google', 'discovery', { kind: 'delay', ms: 10 * 60 * 1000 });
    const abort = new AbortController();
    const pending = fetch(`${emulator.origin}/.well-known/openid-configuration`, {
      signal: abort.signal,
    });
    try {
      await arrival(emulator, 'google', 'discovery');
    } finally {
      abort.abort();
    }
    await expect(pending).rejects.toThrow();
    expect((await fetch(`${emulator.origin}/.well-known/openid-configuration`)).status).toBe(200);
  });
});

describe('a held request whose client has gone', () => {
  it('is dropped, not handled, when the delay ends', () => {
    jest.useFakeTimers();
    try {
      const faults = new FaultQueue(() => true);
      const res = Object.assign(new EventEmitter(), { destroyed: false, writableEnded: false });
      const proceed = jest.fn();
      faults.push('naver', 'token', { kind: 'delay', ms: 1000 });
      faults.apply('naver', 'token', res as unknown as Response, proceed);
      res.emit('close');
      jest.advanceTimersByTime(2000);
      expect(proceed).not.toHaveBeenCalled();

      faults.push('naver', 'token', { kind: 'delay', ms: 1000 });
      faults.apply('naver', 'token', res as unknown as Response, proceed);
      jest.advanceTimersByTime(999);
      expect(proceed).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(proceed).toHaveBeenCalledTimes(1);

      // stop() drops what is held even before the sockets close.
      faults.push('naver', 'token', { kind: 'delay', ms: 1000 });
      faults.apply('naver', 'token', res as unknown as Response, proceed);
      faults.stop();
      jest.advanceTimersByTime(2000);
      expect(proceed).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('failNext', () => {
  it('refuses an endpoint the provider does not have, and malformed faults', () => {
    const fault = { kind: 'malformed-json' } as const;
    expect(() => emulator.failNext('naver', 'discovery', fault)).toThrow(/naver has no discovery/);
    expect(() => emulator.failNext('kakao', 'discovery', fault)).toThrow(TypeError);
    expect(() => emulator.failNext('google', 'logout', fault)).toThrow(TypeError);
    expect(() => emulator.failNext('google', 'token', { kind: 'status', status: 99 })).toThrow(
      /fault.status/,
    );
    expect(() => emulator.failNext('google', 'token', { kind: 'delay', ms: -1 })).toThrow(
      /fault.ms/,
    );
    expect(() =>
      emulator.failNext('google', 'token', { kind: 'redirect', status: 300 as 301, location: '/' }),
    ).toThrow(/fault.status/);
    expect(() => emulator.failNext('google', 'token', { kind: 'oversized', bytes: 0 })).toThrow(
      /fault.bytes/,
    );
    const bogus = { kind: 'explode' } as unknown as typeof fault;
    expect(() => emulator.failNext('google', 'token', bogus)).toThrow(/fault.kind/);
  });

  it('clearFaults drops what is queued', async () => {
    emulator.failNext('google', 'token', { kind: 'status', status: 500 });
    emulator.clearFaults();
    const res = await token(emulator, { grant_type: 'password' });
    expect(res.status).toBe(400);
  });
});
