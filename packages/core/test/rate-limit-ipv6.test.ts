// Issue 17: an IPv6 client is counted by its network, not its address (a host picks any of the
// 2^64 addresses of its /64, and usually of the /56 its ISP delegates, RIPE-690 §4.2): by /56
// unless `rateLimit.ipv6Subnet` says otherwise (express-rate-limit's `ipv6Subnet`, default 56,
// checked 2026-12-02 at express-rate-limit.mintlify.app/reference/helpers). The client address
// comes from X-Forwarded-For through a real `trust proxy` setting, as behind a load balancer.
import express from 'express';
import supertest from 'supertest';
import { google } from '@socialauth/google';
import { socialAuth, SocialAuthError } from '../src';
import { SECRET, startHarness, type Harness } from '@socialauth/testkit';

let h: Harness | undefined;
afterEach(() => h?.close());

async function limitedAt(ipv6Subnet: number | undefined) {
  const app = express().set('trust proxy', 1);
  h = await startHarness(
    () => ({ rateLimit: { limit: 1, ...(ipv6Subnet !== undefined && { ipv6Subnet }) } }),
    app,
  );
  const from = (ip: string) =>
    supertest(h!.baseURL)
      .get('/auth/csrf')
      .set('X-Forwarded-For', ip)
      .set('Accept', 'application/json');
  return from;
}

test('by default one /56 is one client: another /64 in it is limited too', async () => {
  const from = await limitedAt(undefined);
  expect((await from('2001:db8:1:200::10')).status).toBe(200);
  expect((await from('2001:db8:1:200::99')).status).toBe(429); // the same /64
  expect((await from('2001:db8:1:2ff::1')).status).toBe(429); // another /64, the same /56
  expect((await from('2001:db8:1:300::1')).status).toBe(200); // another /56
  expect((await from('203.0.113.10')).status).toBe(200);
  expect((await from('203.0.113.11')).status).toBe(200); // IPv4 addresses stay apart
});

test('ipv6Subnet: 64 counts each /64 apart', async () => {
  const from = await limitedAt(64);
  expect((await from('2001:db8:1:200::10')).status).toBe(200);
  expect((await from('2001:db8:1:200::99')).status).toBe(429);
  expect((await from('2001:db8:1:2ff::1')).status).toBe(200);
});

test.each([0, 47, 65, 128, 56.5, '56', false])(
  'ipv6Subnet: %p is a config error naming the field',
  (value) => {
    let error: unknown;
    try {
      socialAuth({
        baseURL: 'http://localhost:3000',
        secret: SECRET,
        providers: [google({ clientId: 'id', clientSecret: 'client-secret' })],
        // A plain-JavaScript config is checked as well as a typed one.
        rateLimit: { ipv6Subnet: value as 56 },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SocialAuthError);
    expect((error as SocialAuthError).code).toBe('config_invalid');
    expect((error as Error).message).toContain('rateLimit.ipv6Subnet');
  },
);

// The README's advice: `trust proxy` is the number of proxies in front of the app. With one
// proxy appending the address it saw, what a client wrote into X-Forwarded-For itself is ignored.
test("with trust proxy 1, a client's own X-Forwarded-For entries do not buy it a new count", async () => {
  const from = await limitedAt(undefined);
  expect((await from('198.51.100.1, 203.0.113.10')).status).toBe(200);
  expect((await from('198.51.100.2, 203.0.113.10')).status).toBe(429);
  expect((await from('2001:db8:9::1, 203.0.113.10')).status).toBe(429);
});
