// clientCredentials() and oidc()'s discovery cache against a real OpenID provider
// (oidc-provider): tokens cached until shortly before expiry on an injected clock, one request
// for any number of concurrent callers, the server's refusal typed.
import { SocialAuthError } from '../src';
import { clientCredentials } from '../src/provider';
import { oidcDiscovery } from '../src/provider/discovery';
import { OP_CLIENT, startOpenIdProvider, type OpenIdProvider } from '@socialauth/testkit';

const TTL_SECONDS = 300;
let op: OpenIdProvider;
let tokenURL: string;
const m2m = { clientId: `${OP_CLIENT.clientId}-m2m`, clientSecret: OP_CLIENT.clientSecret };

beforeAll(async () => {
  op = await startOpenIdProvider('http://127.0.0.1:9/unused', {
    clientCredentialsTTL: TTL_SECONDS,
  });
  tokenURL = `${op.issuer}/token`;
});
afterAll(() => op.stop());

/** A clock the test moves. */
function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** Whether the provider accepts the token (RFC 7662 introspection). */
async function active(token: string): Promise<boolean> {
  const res = await fetch(`${op.issuer}/token/introspection`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${m2m.clientId}:${m2m.clientSecret}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token }),
  });
  return ((await res.json()) as { active: boolean }).active;
}

describe('clientCredentials()', () => {
  test('concurrent callers share one token request; the token works', async () => {
    const before = await op.tokenRequests('client_credentials');
    const api = clientCredentials({ tokenURL, ...m2m, scope: ['api:read'] });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => api.token()));
    expect(await op.tokenRequests('client_credentials')).toBe(before + 1);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(tokens[0]).toMatchObject({ tokenType: 'Bearer', scope: 'api:read' });
    expect(await api.authorization()).toBe(`Bearer ${tokens[0]!.accessToken}`);
    expect(await active(tokens[0]!.accessToken)).toBe(true);
  });

  test('cached until shortly before expiry, then renewed once', async () => {
    const c = clock();
    const api = clientCredentials({ tokenURL, ...m2m, now: c.now, renewBeforeMs: 30_000 });
    const before = await op.tokenRequests('client_credentials');
    const first = await api.token();
    expect(first.expiresAt).toBe(c.now() + TTL_SECONDS * 1000);
    c.advance(TTL_SECONDS * 1000 - 30_001); // 30 s and 1 ms before expiry: still cached
    expect((await api.token()).accessToken).toBe(first.accessToken);
    expect(await op.tokenRequests('client_credentials')).toBe(before + 1);
    c.advance(1); // within the renewal window
    const renewed = await Promise.all([api.token(), api.token(), api.token()]);
    expect(await op.tokenRequests('client_credentials')).toBe(before + 2);
    expect(renewed.every((t) => t.accessToken === renewed[0]!.accessToken)).toBe(true);
    expect(renewed[0]!.accessToken).not.toBe(first.accessToken);
  });

  test('clear() forgets the token', async () => {
    const api = clientCredentials({ tokenURL, ...m2m });
    const first = await api.token();
    api.clear();
    expect((await api.token()).accessToken).not.toBe(first.accessToken);
  });

  test('credentials in the body (auth: post) for a client registered that way', async () => {
    const api = clientCredentials({ tokenURL, ...OP_CLIENT, auth: 'post' });
    expect(await active((await api.token()).accessToken)).toBe(true);
  });

  test('a refused request: token_exchange_failed with the server’s error; nothing cached', async () => {
    const api = clientCredentials({ tokenURL, ...m2m, clientSecret: 'wrong' });
    const err = await api.token().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SocialAuthError);
    expect(err).toMatchObject({ code: 'token_exchange_failed' });
    expect((err as Error).message).toContain('invalid_client');
    await expect(api.token()).rejects.toMatchObject({ code: 'token_exchange_failed' });
  });

  test('missing options: config_invalid naming the field', () => {
    expect(() => clientCredentials({ tokenURL, clientId: 'x', clientSecret: '' })).toThrow(
      /clientCredentials: clientSecret is required/,
    );
    expect(() => clientCredentials({ tokenURL: 'nope', ...m2m })).toThrow(/tokenURL must be a URL/);
  });
});

describe('oidc() discovery cache', () => {
  test('one request for concurrent callers, and again after the TTL', async () => {
    const c = clock();
    const discovery = oidcDiscovery({
      issuer: op.issuer,
      ttlMs: 60_000,
      timeoutMs: 5_000,
      now: c.now,
    });
    const before = await op.discoveryRequests();
    const docs = await Promise.all(Array.from({ length: 5 }, () => discovery.get()));
    expect(await op.discoveryRequests()).toBe(before + 1);
    expect(docs.every((d) => d === docs[0])).toBe(true);
    c.advance(59_999);
    await discovery.get();
    expect(await op.discoveryRequests()).toBe(before + 1);
    c.advance(1);
    await discovery.get();
    expect(await op.discoveryRequests()).toBe(before + 2);
  });

  test('after the TTL, a provider that cannot be reached: the known document still serves', async () => {
    const c = clock();
    const other = await startOpenIdProvider('http://127.0.0.1:9/unused');
    const discovery = oidcDiscovery({
      issuer: other.issuer,
      ttlMs: 60_000,
      timeoutMs: 5_000,
      now: c.now,
    });
    const doc = await discovery.get();
    await other.stop();
    c.advance(60_000);
    expect(await discovery.get()).toBe(doc);
    // Without a known document, the same failure is provider_error, naming issuer.
    const fresh = oidcDiscovery({ issuer: other.issuer, ttlMs: 60_000, timeoutMs: 5_000 });
    await expect(fresh.get()).rejects.toMatchObject({
      code: 'provider_error',
      message: expect.stringMatching(/^issuer: the discovery document .* could not be read/),
    });
  });
});
