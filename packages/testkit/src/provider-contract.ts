// The provider contract: every provider package runs this same suite against the emulator.
// Each provider's own test file then covers only its quirks.
import type { Emulator, Fault, ProviderName } from '@socialauth/emulator';
import {
  providerStrategy,
  toTokenSet,
  type ProviderPlugin,
  type TokenSet,
} from '@socialauth/core/provider';
import {
  consentCallback,
  deliver,
  logout,
  sessions,
  start,
  startHarness,
  type Callback,
  type Harness,
} from './harness';

export interface ContractOptions {
  /** The emulator's name for this provider. */
  provider: ProviderName;
  /** The plugin, pointed at the emulator (with whatever it needs for a refresh token). */
  plugin(emulator: Emulator): ProviderPlugin;
  /**
   * The provider's profile path, to check tokens against the resource server. Absent (Apple: the
   * ID token is the profile): tokens are checked by refreshing them instead.
   */
  profilePath?: string;
  /** The provider's error for a bad token at the profile endpoint, as the emulator answers it. */
  badTokenFault?: Fault;
  /** The provider cannot revoke a grant (Microsoft): the plugin has no `revoke`, and this is checked. */
  noRevocation?: boolean;
}

/** Observes the tokens of a real sign-in as core's verify callback receives them. */
export function observed(plugin: ProviderPlugin, seen: TokenSet[]): ProviderPlugin {
  return {
    ...plugin,
    createStrategy: (ctx) =>
      providerStrategy(plugin, {
        ...ctx,
        verify: (req, accessToken, refreshToken, params, profile, done) => {
          // node-oauth moves refresh_token out of params into its own argument.
          seen.push(toTokenSet({ ...params, refresh_token: refreshToken }));
          ctx.verify(req, accessToken, refreshToken, params, profile, done);
        },
      }),
  };
}

export function runProviderContract(options: ContractOptions): void {
  const { provider } = options;
  let h: Harness;
  const tokens: TokenSet[] = [];
  let plugin: ProviderPlugin;

  beforeEach(async () => {
    tokens.length = 0;
    h = await startHarness((emulator) => {
      plugin = options.plugin(emulator);
      return { providers: [observed(plugin, tokens)] };
    });
  });
  afterEach(() => h.close());

  /** 200 when the tokens still work at the provider, 401 when they do not. */
  const tokenStatus = async (tokens: TokenSet) => {
    if (options.profilePath === undefined) {
      return plugin.refresh!(tokens).then(
        () => 200,
        () => 401,
      );
    }
    const res = await fetch(`${h.emulator.origin}${options.profilePath}`, {
      headers: { Authorization: `Bearer ${tokens.accessToken}` },
    });
    return res.status;
  };

  const signIn = async () => {
    const back = await consentCallback(await start(h.agent, provider, '/done'));
    return { back, res: await deliver(h.agent, back) };
  };

  describe(`${provider}: provider contract`, () => {
    if (options.noRevocation) {
      test('no revocation: the plugin says so by having no revoke', () => {
        expect(plugin.revoke).toBeUndefined();
      });
    }
    test('full sign-in: session user in the shared shape', async () => {
      const { res } = await signIn();
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/done');
      const { user } = (await h.agent.get('/auth/session').expect(200)).body;
      expect(user.provider).toBe(provider);
      expect(typeof user.id).toBe('string');
      expect(user.identities).toEqual([
        expect.objectContaining({ provider, subject: expect.any(String) }),
      ]);
      expect(typeof user.identities[0].subject).toBe('string');
      expect(user.identities[0].subject.length).toBeGreaterThan(0);
      expect(JSON.stringify(user)).not.toContain(tokens[0]!.accessToken);
      expect(h.emulator.count(provider, 'token')).toBe(1);
      expect(await tokenStatus(tokens[0]!)).toBe(200);
    });

    test('deny: access_denied, no session, no token call', async () => {
      const back = await consentCallback(await start(h.agent, provider), { deny: true });
      const res = await deliver(h.agent, back);
      expect(res.headers.location).toBe('/auth/error?error=access_denied');
      expect(h.emulator.count(provider, 'token')).toBe(0);
      await h.agent.get('/auth/session').expect(401);
    });

    test('a used code: token_exchange_failed, no session', async () => {
      const { back } = await signIn();
      expect((await logout(h.agent)).status).toBe(303);
      const code = codeOf(back);
      // A fresh, valid state with the spent code.
      const fresh = await consentCallback(await start(h.agent, provider));
      const res = await deliver(h.agent, withCode(fresh, code), 'application/json');
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('token_exchange_failed');
      expect(h.emulator.count(provider, 'token')).toBe(2);
      await h.agent.get('/auth/session').expect(401);
    });

    const { badTokenFault } = options;
    if (badTokenFault) {
      test('a bad token at the profile endpoint: profile_fetch_failed, no session', async () => {
        h.emulator.failNext(provider, 'userinfo', badTokenFault);
        const back = await consentCallback(await start(h.agent, provider));
        const res = await deliver(h.agent, back, 'application/json');
        expect(res.status).toBe(502);
        expect(res.body.error.code).toBe('profile_fetch_failed');
        await h.agent.get('/auth/session').expect(401);
        expect(Object.values(sessions(h.store)).every((s) => !s.socialauth?.user)).toBe(true);
      });
    } else {
      test('no ID token where it is the profile: id_token_invalid, no session', async () => {
        h.emulator.nextIdTokenClaims(provider as 'apple', 'omit');
        const back = await consentCallback(await start(h.agent, provider));
        const res = await deliver(h.agent, back, 'application/json');
        expect(res.status).toBe(502);
        expect(res.body.error.code).toBe('id_token_invalid');
        await h.agent.get('/auth/session').expect(401);
      });
    }

    test('refresh: a new access token that works; the refresh token survives', async () => {
      await signIn();
      const first = tokens[0]!;
      expect(first.refreshToken).toBeDefined();
      const fresh = await plugin.refresh!(first);
      expect(h.emulator.count(provider, 'token')).toBe(2);
      expect(fresh.accessToken).not.toBe(first.accessToken);
      expect(fresh.refreshToken).toBeDefined();
      expect(fresh.expiresAt).toBeGreaterThan(Date.now());
      expect(await tokenStatus(fresh)).toBe(200);
    });

    if (!options.noRevocation) {
      test('revoke: the provider ends the grant', async () => {
        await signIn();
        await plugin.revoke!(tokens[0]!);
        expect(h.emulator.count(provider, 'revoke')).toBe(1);
        expect(await tokenStatus(tokens[0]!)).toBe(401);
      });
    }
  });
}

/** The code in a provider's answer: a redirect's query, or a form POST's fields. */
function codeOf(callback: Callback): string {
  const fields =
    callback.method === 'POST' ? callback.form : new URL(callback.path, 'http://x').searchParams;
  return fields.get('code') ?? '';
}

/** The same answer carrying another code. */
function withCode(callback: Callback, code: string): Callback {
  if (callback.method === 'POST') {
    const form = new URLSearchParams(callback.form);
    form.set('code', code);
    return { ...callback, form };
  }
  const url = new URL(callback.path, 'http://x');
  url.searchParams.set('code', code);
  return { method: 'GET', path: url.pathname + url.search };
}
