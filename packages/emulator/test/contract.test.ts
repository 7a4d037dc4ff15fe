import {
  approveConsent,
  DEFAULT_CLIENTS,
  startEmulator,
  type Emulator,
  type ProviderName,
} from '../src';

// One script for every provider, driven only by what differs: where to go and what to send.
// The endpoint names it checks are the same for all three (EmulatorEndpoint).
interface Wire {
  authorize: string;
  token: string;
  userinfo: string;
  tokenForm: (code: string) => Record<string, string>;
  subjectOf: (body: string) => string | undefined;
  /** GitHub answers form-encoded unless asked for JSON. */
  tokenHeaders?: Record<string, string>;
}

const REDIRECT = 'http://localhost:3000/callback';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

// Apple answers by form POST, signs its clients in with a JWT and has no userinfo: apple.test.ts.
const wires: Record<Exclude<ProviderName, 'apple'>, Wire> = {
  google: {
    authorize: `/o/oauth2/v2/auth?scope=openid%20email&code_challenge=${CHALLENGE}&code_challenge_method=S256`,
    token: '/token',
    userinfo: '/v1/userinfo',
    tokenForm: (code) => ({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
    }),
    subjectOf: (body) => (JSON.parse(body) as { sub?: string }).sub,
  },
  naver: {
    authorize: '/oauth2.0/authorize?',
    token: '/oauth2.0/token',
    userinfo: '/v1/nid/me',
    tokenForm: (code) => ({ grant_type: 'authorization_code', code, state: 'contract-state' }),
    subjectOf: (body) => (JSON.parse(body) as { response?: { id?: string } }).response?.id,
  },
  kakao: {
    authorize: `/oauth/authorize?code_challenge=${CHALLENGE}&code_challenge_method=S256`,
    token: '/oauth/token',
    userinfo: '/v2/user/me',
    tokenForm: (code) => ({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
    }),
    subjectOf: (body) => /^\{"id":(\d+)/.exec(body)?.[1],
  },
  github: {
    authorize: `/login/oauth/authorize?scope=read:user&code_challenge=${CHALLENGE}&code_challenge_method=S256`,
    token: '/login/oauth/access_token',
    userinfo: '/user',
    tokenForm: (code) => ({ code, redirect_uri: REDIRECT, code_verifier: VERIFIER }),
    subjectOf: (body) => String((JSON.parse(body) as { id?: number }).id),
    tokenHeaders: { Accept: 'application/json' },
  },
  microsoft: {
    authorize: `/common/oauth2/v2.0/authorize?scope=openid%20profile&code_challenge=${CHALLENGE}&code_challenge_method=S256`,
    token: '/common/oauth2/v2.0/token',
    userinfo: '/oidc/userinfo',
    tokenForm: (code) => ({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
    }),
    subjectOf: (body) => (JSON.parse(body) as { sub?: string }).sub,
  },
  line: {
    authorize: `/oauth2/v2.1/authorize?scope=profile%20openid&code_challenge=${CHALLENGE}&code_challenge_method=S256`,
    token: '/oauth2/v2.1/token',
    userinfo: '/v2/profile',
    tokenForm: (code) => ({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
    }),
    subjectOf: (body) => (JSON.parse(body) as { userId?: string }).userId,
  },
};

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(() => emulator.stop());

describe.each(Object.keys(wires) as (keyof typeof wires)[])('%s', (provider) => {
  const wire = wires[provider];
  const client = DEFAULT_CLIENTS[provider];

  it('signs the first account in through authorize, consent, token and userinfo', async () => {
    emulator.resetCounts();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: REDIRECT,
      state: 'contract-state',
    });
    const callback = new URL(await approveConsent(`${emulator.origin}${wire.authorize}&${query}`));
    expect(callback.searchParams.get('state')).toBe('contract-state');
    const code = callback.searchParams.get('code') ?? '';
    const tokenRes = await fetch(`${emulator.origin}${wire.token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...wire.tokenHeaders },
      body: new URLSearchParams({
        ...wire.tokenForm(code),
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }),
    });
    const { access_token: access } = (await tokenRes.json()) as { access_token?: string };
    expect(access).toEqual(expect.any(String));
    const me = await fetch(`${emulator.origin}${wire.userinfo}`, {
      headers: { Authorization: `Bearer ${access}` },
    });
    expect(me.status).toBe(200);
    const first = emulator.users(provider)[0];
    const key =
      first &&
      ('sub' in first
        ? first.sub
        : 'key' in first
          ? first.key
          : 'oid' in first
            ? first.oid
            : 'userId' in first
              ? first.userId
              : first.id);
    expect(wire.subjectOf(await me.text())).toBe(
      emulator.subject(provider, String(key ?? ''), client.clientId),
    );
    for (const endpoint of ['authorize', 'consent', 'token', 'userinfo'] as const) {
      expect([endpoint, emulator.count(provider, endpoint)]).toEqual([endpoint, 1]);
    }
  });

  it('answers a faulted token request with the fault, counted', async () => {
    emulator.resetCounts();
    emulator.failNext(provider, 'token', { kind: 'status', status: 503 });
    const res = await fetch(`${emulator.origin}${wire.token}`, { method: 'POST' });
    expect(res.status).toBe(503);
    expect(emulator.count(provider, 'token')).toBe(1);
  });
});
