// Client authentication at the token endpoint (RFC 6749 §2.3.1, OIDC Core §9): oidc() sends the
// secret by HTTP Basic when the client or the provider's discovery asks for it, at the token
// exchange, refresh and revocation alike. The emulator's Google holds a client to its one
// registered method, which proves the method used; the certified OpenID provider (which takes
// either) checks the header's encoding.
import express from 'express';
import session from 'express-session';
import supertest from 'supertest';
import { DEFAULT_CLIENTS, startEmulator, type Emulator } from '@socialauth/emulator';
import { oauth2, oidc, socialAuth } from '../src';
import { basicCredentials, type TokenSet } from '../src/provider';
import {
  observed,
  SECRET,
  OP_CLIENT,
  signInAtProvider,
  startOpenIdProvider,
  consent,
  type OpenIdProvider,
  mountProvider,
} from '@socialauth/testkit';

const mount = mountProvider;

test('Basic credentials: each half form-encoded, then base64 (RFC 6749 §2.3.1)', () => {
  const header = basicCredentials('my client', 'p@ss:wörd+1');
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  expect(decoded).toBe('my+client:p%40ss%3Aw%C3%B6rd%2B1');
});

describe('a client registered for client_secret_basic only', () => {
  let op: OpenIdProvider;
  let app: { close(): Promise<void> } | undefined;
  const tokens: TokenSet[] = [];
  const port = { value: 0 };

  beforeAll(async () => {
    // The callback URL must be known before the provider starts: reserve the app's port first.
    const probe = await mount(oidc({ id: 'op', issuer: 'http://127.0.0.1:1', ...OP_CLIENT }));
    port.value = Number(new URL(probe.url).port);
    await probe.close();
    op = await startOpenIdProvider(`http://127.0.0.1:${port.value}/auth/op/callback`, {
      clientAuth: 'client_secret_basic',
    });
  });
  afterAll(() => op.stop());
  afterEach(() => app?.close());

  const signIn = async (plugin: ReturnType<typeof oidc>) => {
    const handler = express();
    const server = handler.listen(port.value, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${port.value}`;
    handler.use(
      socialAuth({
        baseURL: url,
        secret: SECRET,
        providers: [observed(plugin, tokens)],
        session: { store: new session.MemoryStore() },
        rateLimit: false,
        logger: { info: () => {}, warn: () => {}, error: () => {} },
      }),
    );
    app = {
      close: async () => {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
    const agent = supertest.agent(url);
    const start = await agent.get('/auth/op').expect(302);
    const back = await signInAtProvider(start.headers.location as string, 'alice');
    return agent.get(back.pathname + back.search).set('Accept', 'application/json');
  };

  test('oidc({ clientAuth: client_secret_basic }): sign-in, refresh and revoke', async () => {
    tokens.length = 0;
    const plugin = oidc({
      id: 'op',
      issuer: op.issuer,
      ...OP_CLIENT,
      clientAuth: 'client_secret_basic',
    });
    const res = await signIn(plugin);
    expect(res.status).toBe(302);
    const fresh = await plugin.refresh!(tokens[0]!);
    expect(fresh.accessToken).not.toBe(tokens[0]!.accessToken);
    await plugin.revoke!(fresh);
    await expect(plugin.refresh!(fresh)).rejects.toMatchObject({ code: 'reauth_required' });
  });
});

describe('the method from discovery', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());

  const google = () =>
    oidc({
      id: 'g',
      issuer: 'https://accounts.google.com',
      origin: emulator.origin,
      ...DEFAULT_CLIENTS.google,
    });

  test('a Basic-only client: the body is refused; Basic signs in and refreshes', async () => {
    emulator.registerClient({
      provider: 'google',
      clientId: 'basic-only-client',
      clientSecret: 'basic-only-secret',
      tokenEndpointAuthMethod: 'client_secret_basic',
    });
    const credentials = { clientId: 'basic-only-client', clientSecret: 'basic-only-secret' };
    const base = { id: 'g', issuer: 'https://accounts.google.com', origin: emulator.origin };
    const signIn = async (plugin: ReturnType<typeof oidc>) => {
      const app = await mount(plugin);
      try {
        const agent = supertest.agent(app.url);
        const start = await agent.get('/auth/g').expect(302);
        const back = await consent(new URL(start.headers.location as string));
        return await agent.get(back).set('Accept', 'application/json');
      } finally {
        await app.close();
      }
    };
    const body = await signIn(oidc({ ...base, ...credentials }));
    expect([body.status, body.body.error?.code]).toEqual([502, 'token_exchange_failed']);
    const tokens: TokenSet[] = [];
    const plugin = oidc({
      ...base,
      ...credentials,
      clientAuth: 'client_secret_basic',
      authorizationParams: { access_type: 'offline' },
    });
    const app = await mount(observed(plugin, tokens));
    try {
      const agent = supertest.agent(app.url);
      const start = await agent.get('/auth/g').expect(302);
      const back = await consent(new URL(start.headers.location as string));
      expect((await agent.get(back)).headers.location).toBe('/');
    } finally {
      await app.close();
    }
    expect(tokens).toHaveLength(1);
    // Refresh authenticates the same way (a body secret would be invalid_client here).
    const fresh = await plugin.refresh!(tokens[0]!);
    expect(fresh.accessToken).not.toBe(tokens[0]!.accessToken);
    await expect(oidc({ ...base, ...credentials }).refresh!(tokens[0]!)).rejects.toMatchObject({
      code: 'refresh_failed',
    });
  });

  test('oauth2({ clientAuth: client_secret_basic }) too, and responseMode asks for form_post', async () => {
    emulator.registerClient({
      provider: 'google',
      clientId: 'basic-only-oauth2',
      clientSecret: 'basic-only-oauth2-secret',
      tokenEndpointAuthMethod: 'client_secret_basic',
    });
    const plugin = (extra: Partial<Parameters<typeof oauth2>[0]>) =>
      oauth2<{ sub: string }>({
        id: 'o',
        clientId: 'basic-only-oauth2',
        clientSecret: 'basic-only-oauth2-secret',
        authorizationURL: `${emulator.origin}/o/oauth2/v2/auth`,
        tokenURL: `${emulator.origin}/token`,
        userInfoURL: `${emulator.origin}/v1/userinfo`,
        scopes: ['openid', 'email'],
        toProfile: (user) => ({ id: user.sub }),
        ...extra,
      });
    for (const [extra, location] of [
      // The provider refuses the method it was not registered for: the client's setup (RFC 6749 §5.2).
      [{}, '/auth/error?error=token_exchange_failed&reason=client_rejected'],
      [{ clientAuth: 'client_secret_basic' as const }, '/'],
    ] as const) {
      const app = await mount(plugin(extra));
      try {
        const agent = supertest.agent(app.url);
        const start = await agent.get('/auth/o').expect(302);
        const back = await consent(new URL(start.headers.location as string));
        expect([extra, (await agent.get(back)).headers.location]).toEqual([extra, location]);
      } finally {
        await app.close();
      }
    }
    const posting = await mount(plugin({ responseMode: 'form_post' }));
    try {
      const start = await supertest(posting.url).get('/auth/o').expect(302);
      expect(new URL(start.headers.location as string).searchParams.get('response_mode')).toBe(
        'form_post',
      );
    } finally {
      await posting.close();
    }
  });

  test('Basic when it is the only one listed; the sign-in completes', async () => {
    emulator.failNext('google', 'discovery', {
      kind: 'rewrite-json',
      set: { token_endpoint_auth_methods_supported: ['client_secret_basic'] },
    });
    const plugin = google();
    const app = await mount(plugin);
    try {
      const agent = supertest.agent(app.url);
      const start = await agent.get('/auth/g').expect(302);
      const back = await consent(new URL(start.headers.location as string));
      const res = await agent.get(back).set('Accept', 'application/json');
      expect(res.status).toBe(302);
    } finally {
      await app.close();
    }
  });

  test('neither method listed: config_invalid, naming both', async () => {
    emulator.failNext('google', 'discovery', {
      kind: 'rewrite-json',
      set: { token_endpoint_auth_methods_supported: ['private_key_jwt'] },
    });
    await expect(google().discover()).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringMatching(/neither client_secret_post nor client_secret_basic/),
    });
  });
});
