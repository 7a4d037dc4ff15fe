// oidc() against a certified OpenID provider (panva's oidc-provider) run locally over real
// HTTP: discovery, PKCE S256, nonce, ID token checks, userinfo, refresh and revocation; and how
// a wrong issuer, an unreachable provider and a bad ID token are refused.
import express from 'express';
import session from 'express-session';
import supertest from 'supertest';
import type { Server } from 'node:http';
import { SocialAuthError, oidc, socialAuth, type ProviderPlugin } from '../src';
import { type TokenSet } from '../src/provider';
import {
  observed,
  SECRET,
  listen,
  OP_CLIENT,
  closedPort,
  signInAtProvider,
  startOpenIdProvider,
  type OpenIdProvider,
} from '@socialauth/testkit';

interface App {
  url: string;
  agent: supertest.Agent;
  logs: string[];
  mount(plugin: ProviderPlugin): void;
  close(): Promise<void>;
}

/** An app listening before it is configured: the provider needs its callback URL first. */
async function app(): Promise<App> {
  const handler = express();
  const { server, url } = await listen(handler);
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  return {
    url,
    agent: supertest.agent(url),
    logs,
    mount(plugin) {
      handler.use(
        socialAuth({
          baseURL: url,
          secret: SECRET,
          providers: [plugin],
          session: { store: new session.MemoryStore() },
          logger: { info: log, warn: log, error: log },
          rateLimit: false,
        }),
      );
    },
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

const failureOf = async (agent: supertest.Agent, path: string) => {
  const res = await agent.get(path).set('Accept', 'application/json');
  return { status: res.status, code: (res.body as { error?: { code?: string } }).error?.code };
};

describe('oidc() against a real OpenID provider', () => {
  let a: App;
  let op: OpenIdProvider;
  let plugin: ReturnType<typeof oidc>;
  const tokens: TokenSet[] = [];

  beforeAll(async () => {
    a = await app();
    op = await startOpenIdProvider(`${a.url}/auth/op/callback`);
    plugin = oidc({ id: 'op', name: 'Test OP', issuer: op.issuer, ...OP_CLIENT });
    a.mount(observed(plugin, tokens));
  });
  afterAll(async () => {
    await a.close();
    await op.stop();
  });
  beforeEach(() => {
    tokens.length = 0;
    a.logs.length = 0;
  });

  const authorize = async (agent: supertest.Agent) => {
    const res = await agent.get('/auth/op').expect(302);
    return new URL(res.headers.location as string);
  };
  const signIn = async (agent = supertest.agent(a.url), login = 'alice') => {
    const back = await signInAtProvider((await authorize(agent)).href, login);
    return {
      agent,
      back,
      res: await agent.get(back.pathname + back.search).set('Accept', 'application/json'),
    };
  };

  test('discover() at boot: the provider’s endpoints, its issuer checked', async () => {
    const doc = await plugin.discover();
    expect(doc.issuer).toBe(op.issuer);
    expect(doc.token_endpoint).toBe(`${op.issuer}/token`);
    expect(plugin.pkce).toBe(true);
    expect(plugin.profileURL).toBe(`${op.issuer}/me`);
  });

  test('the authorization request: code flow, PKCE S256, a nonce, the discovered endpoint', async () => {
    const url = await authorize(supertest.agent(a.url));
    expect(url.origin + url.pathname).toBe(`${op.issuer}/auth`);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('scope')).toBe('openid email profile');
  });

  test('full sign-in: the ID token verified, the profile from userinfo', async () => {
    const before = await op.tokenRequests('authorization_code');
    const { agent, back, res } = await signIn();
    expect(back.searchParams.get('iss')).toBe(op.issuer); // RFC 9207, checked by core
    expect(res.status).toBe(302);
    const { user } = (await agent.get('/auth/session').expect(200)).body;
    expect(user.provider).toBe('op');
    expect(user.identities).toEqual([
      expect.objectContaining({ provider: 'op', subject: 'alice' }),
    ]);
    expect(await op.tokenRequests('authorization_code')).toBe(before + 1);
    expect(tokens[0]!.idToken).toEqual(expect.any(String));
    const profile = plugin.toProfile(
      await (
        await fetch(plugin.profileURL!, {
          headers: { Authorization: `Bearer ${tokens[0]!.accessToken}` },
        })
      ).text(),
    );
    expect(profile).toMatchObject({
      provider: 'op',
      id: 'alice',
      email: 'alice@op.test',
      emailVerified: true,
      name: 'Alice Op',
      avatarUrl: 'https://op.test/a.png',
    });
  });

  test('refresh and revoke at the discovered endpoints', async () => {
    await signIn();
    const first = tokens[0]!;
    expect(first.refreshToken).toEqual(expect.any(String));
    const fresh = await plugin.refresh!(first);
    expect(fresh.accessToken).not.toBe(first.accessToken);
    await plugin.revoke!(fresh);
    // RFC 7009: the grant is over, so its refresh token no longer works.
    await expect(plugin.refresh!(fresh)).rejects.toMatchObject({ code: 'reauth_required' });
  });

  test.each(['tampered', 'foreign'] as const)(
    'a %s ID token: id_token_invalid, no session',
    async (mode) => {
      await op.nextIdToken(mode);
      const { agent, res } = await signIn();
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('id_token_invalid');
      await agent.get('/auth/session').expect(401);
      // The signature, checked against the provider's JWKS (OIDC Core §3.1.3.7 item 6).
      expect(a.logs.join('\n')).toMatch(/id_token_invalid: .*signature verification failed/);
    },
  );
  test('a fresh sign-in: max_age sent, auth_time checked, the same user required', async () => {
    const { agent } = await signIn();
    const reauth = async (login: string) => {
      const res = await agent.get('/auth/op?reauth=300&next=/after').expect(302);
      const url = new URL(res.headers.location as string);
      const back = await signInAtProvider(url.href, login);
      return {
        url,
        res: await agent.get(back.pathname + back.search).set('Accept', 'application/json'),
      };
    };
    const fresh = await reauth('alice');
    // OIDC Core §3.1.2.1: max_age, and no prompt: a sign-in at the provider within it will do.
    expect(fresh.url.searchParams.get('max_age')).toBe('300');
    expect(fresh.url.searchParams.get('prompt')).toBeNull();
    expect(fresh.res.status).toBe(302);
    expect(fresh.res.headers.location).toBe('/after');

    // A provider that ignored max_age (an old auth_time) is refused, and so is another account.
    await op.nextIdToken('stale-auth-time');
    const stale = await reauth('alice');
    expect(stale.res.status).toBe(502);
    expect(stale.res.body.error.code).toBe('id_token_invalid');
    const bob = await reauth('bob');
    expect(bob.res.status).toBe(403);
    expect(bob.res.body.error.code).toBe('wrong_identity');
    const { user } = (await agent.get('/auth/session').expect(200)).body;
    expect(user.identities).toEqual([expect.objectContaining({ subject: 'alice' })]);
  });
});

describe('oidc(): configuration errors name the field', () => {
  test('a bad issuer URL is a start-up error naming issuer', () => {
    for (const issuer of [
      'accounts.example.com',
      'http://op.example.com',
      'https://op.example/?x=1',
    ]) {
      let err: unknown;
      try {
        socialAuth({
          baseURL: 'http://127.0.0.1:3000',
          secret: SECRET,
          providers: [oidc({ id: 'op', issuer, ...OP_CLIENT })],
        });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SocialAuthError);
      expect((err as SocialAuthError).code).toBe('config_invalid');
      expect((err as SocialAuthError).message).toMatch(/providers\[0\] \(op\): issuer must/);
    }
  });

  test('an issuer mismatch (OIDC Discovery §4.3): config_invalid at sign-in, logged with the fix', async () => {
    const a = await app();
    const op = await startOpenIdProvider(`${a.url}/auth/op/callback`);
    try {
      // The document is fetched from the OP (origin), but names the OP's issuer, not this one.
      const plugin = oidc({
        id: 'op',
        issuer: 'https://op.example',
        origin: op.issuer,
        ...OP_CLIENT,
      });
      a.mount(plugin);
      expect(await failureOf(a.agent, '/auth/op')).toEqual({ status: 500, code: 'config_invalid' });
      const line = a.logs.find((l) => l.includes('config_invalid'));
      expect(line).toContain(
        `issuer: the provider's discovery document names issuer "${op.issuer}"`,
      );
      expect(line).toContain('§4.3');
      expect(line).toContain('set issuer to exactly');
      await expect(plugin.discover()).rejects.toMatchObject({ code: 'config_invalid' });
    } finally {
      await a.close();
      await op.stop();
    }
  });

  test('an unreachable discovery: provider_error at sign-in, logged naming issuer', async () => {
    const a = await app();
    try {
      const issuer = `http://127.0.0.1:${await closedPort()}`;
      const plugin = oidc({ id: 'op', issuer, ...OP_CLIENT });
      a.mount(plugin);
      expect(await failureOf(a.agent, '/auth/op')).toEqual({ status: 502, code: 'provider_error' });
      const line = a.logs.find((l) => l.includes('provider_error'));
      expect(line).toContain(
        `issuer: the discovery document ${issuer}/.well-known/openid-configuration could not be read`,
      );
      await expect(plugin.discover()).rejects.toMatchObject({ code: 'provider_error' });
    } finally {
      await a.close();
    }
  });
});
