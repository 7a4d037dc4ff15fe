// Issue 17, "http where secrets travel": every URL a client secret or a token is sent to is https,
// or http on a loopback host (localhost, *.localhost, 127.0.0.0/8, [::1]), in every environment
// (SECURITY.md "Back-channel requests"; RFC 6749 §3.2 and §10.9). And with NODE_ENV=production,
// the emulator's public credentials are refused: anyone can read them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import { naver } from '@socialauth/naver';
import { SocialAuthError, oauth2, oidc, socialAuth, type ProviderPlugin } from '../src';
import { clientCredentials } from '../src/provider';
import { oidcDiscovery } from '../src/provider/discovery';

const OFF_LOOPBACK = ['http://203.0.113.10', 'http://192.0.2.10:4000', 'http://app.example.com'];
const LOOPBACK = [
  'http://localhost:4000',
  'http://app.localhost:4000',
  'http://127.0.0.1:4000',
  'http://127.8.9.10:4000',
  'http://[::1]:4000',
  'https://idp.example.com',
];

function thrown(call: () => unknown): SocialAuthError {
  try {
    call();
  } catch (err) {
    expect(err).toBeInstanceOf(SocialAuthError);
    return err as SocialAuthError;
  }
  throw new Error('accepted');
}

const mount = (providers: ProviderPlugin[]) =>
  socialAuth({
    baseURL: 'http://localhost:3000',
    secret: 'a-session-secret-that-is-long-enough-1234',
    providers,
    logger: false,
  });

const github = (
  urls: Partial<Record<'tokenURL' | 'userInfoURL' | 'revocationURL' | 'origin', string>>,
) =>
  oauth2({
    id: 'github',
    authorizationURL: 'https://github.com/login/oauth/authorize',
    tokenURL: 'https://github.com/login/oauth/access_token',
    userInfoURL: 'https://api.github.com/user',
    toProfile: (u) => ({ id: String(u.id) }),
    clientId: 'id',
    clientSecret: 'secret',
    ...urls,
  });

describe.each(['development', 'test', 'production'])('NODE_ENV=%s', (env) => {
  const saved = process.env.NODE_ENV;
  beforeEach(() => {
    process.env.NODE_ENV = env;
  });
  afterEach(() => {
    process.env.NODE_ENV = saved;
  });

  test.each(OFF_LOOPBACK)('clientCredentials({ tokenURL: "%s/token" }) is config_invalid', (o) => {
    const err = thrown(() =>
      clientCredentials({ tokenURL: `${o}/token`, clientId: 'id', clientSecret: 'the-secret-1' }),
    );
    expect(err.code).toBe('config_invalid');
    expect(err.message).toMatch(/tokenURL must use https/);
    expect(err.message).not.toContain('the-secret-1');
    expect(err.message).not.toContain(o);
  });

  test.each(OFF_LOOPBACK)('a provider origin of %s stops start-up, naming origin', (origin) => {
    for (const plugin of [
      google({ clientId: 'id', clientSecret: 's', origin }),
      naver({ clientId: 'id', clientSecret: 's', origin }),
      kakao({ clientId: 'id', clientSecret: 's', origin }),
      github({ origin }),
      oidc({
        id: 'okta',
        issuer: 'https://example.okta.com',
        clientId: 'i',
        clientSecret: 's',
        origin,
      }),
    ]) {
      expect(plugin.validate()).toEqual([
        expect.objectContaining({ field: 'origin', message: expect.stringMatching(/https/) }),
      ]);
    }
    const err = thrown(() => mount([google({ clientId: 'id', clientSecret: 's', origin })]));
    expect(err.code).toBe('config_invalid');
    expect(err.message).toMatch(/origin must use https/);
  });

  test.each(['tokenURL', 'userInfoURL', 'revocationURL'] as const)(
    'oauth2({ %s: http off loopback }) stops start-up',
    (field) => {
      for (const host of OFF_LOOPBACK) {
        expect(github({ [field]: `${host}/x` }).validate()).toEqual([
          expect.objectContaining({ field }),
        ]);
      }
    },
  );

  test('oidc({ issuer: http off loopback }) stops start-up', () => {
    for (const host of OFF_LOOPBACK) {
      const plugin = oidc({ id: 'idp', issuer: host, clientId: 'i', clientSecret: 's' });
      expect(plugin.validate()).toEqual([expect.objectContaining({ field: 'issuer' })]);
    }
  });

  test.each(LOOPBACK)('%s (loopback, or https) is accepted everywhere', (origin) => {
    expect(() =>
      clientCredentials({ tokenURL: `${origin}/token`, clientId: 'id', clientSecret: 'secret' }),
    ).not.toThrow();
    expect(github({ tokenURL: `${origin}/t`, userInfoURL: `${origin}/u` }).validate()).toEqual([]);
    expect(google({ clientId: 'id', clientSecret: 's', origin }).validate()).toEqual([]);
    expect(oidc({ id: 'i', issuer: origin, clientId: 'i', clientSecret: 's' }).validate()).toEqual(
      [],
    );
  });
});

describe('a discovered revocation_endpoint', () => {
  let server: Server;
  let issuer: string;
  let revocation = '';
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`,
          jwks_uri: `${issuer}/jwks`,
          revocation_endpoint: revocation,
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const discover = () => oidcDiscovery({ issuer, ttlMs: 0, timeoutMs: 2000 }).get();

  test('over http off loopback refuses the document: the refresh token would go there', async () => {
    revocation = 'http://203.0.113.10/revoke';
    const err = await discover().then(
      () => undefined,
      (e: unknown) => e as SocialAuthError,
    );
    expect(err).toMatchObject({ code: 'config_invalid' });
    expect(err!.message).toMatch(/revocation_endpoint/);
  });

  test('over https, or http on loopback, is kept', async () => {
    revocation = 'https://idp.example.com/revoke';
    expect((await discover()).revocation_endpoint).toBe(revocation);
    revocation = `${issuer}/revoke`;
    expect((await discover()).revocation_endpoint).toBe(revocation);
  });
});

describe("the emulator's public credentials", () => {
  const saved = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = saved;
  });
  const emulated = () => [
    google({ ...DEFAULT_CLIENTS.google, origin: 'http://127.0.0.1:4000' }),
    naver({ ...DEFAULT_CLIENTS.naver, origin: 'http://127.0.0.1:4000' }),
    kakao({ ...DEFAULT_CLIENTS.kakao, origin: 'http://127.0.0.1:4000' }),
  ];

  test('with NODE_ENV=production stop start-up, naming each field and variable', () => {
    process.env.NODE_ENV = 'production';
    const [g, n, k] = emulated();
    expect(g!.validate().map((i) => i.field)).toEqual(['clientId', 'clientSecret']);
    expect(n!.validate().map((i) => i.field)).toEqual(['clientId', 'clientSecret']);
    expect(k!.validate().map((i) => i.field)).toEqual(['clientId', 'clientSecret', 'adminKey']);
    const err = thrown(() => mount(emulated()));
    expect(err.code).toBe('config_invalid');
    expect(err.message).toMatch(/clientId is one of @socialauth\/emulator's public test/);
    expect(err.message).toMatch(/set GOOGLE_CLIENT_SECRET/);
    expect(err.message).toMatch(/set KAKAO_ADMIN_KEY/);
    expect(err.message).not.toContain(DEFAULT_CLIENTS.google.clientSecret);
  });

  test('anywhere else are fine', () => {
    process.env.NODE_ENV = 'development';
    for (const plugin of emulated()) expect(plugin.validate()).toEqual([]);
  });
});
