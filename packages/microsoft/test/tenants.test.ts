// Microsoft's tenants and its multi-tenant issuer ("Validate the issuer", access-tokens page of
// learn.microsoft.com, checked 2026-12-07), against the emulator's Microsoft over real HTTP.
import { CONSUMER_TENANT, CONTOSO, DEFAULT_CLIENTS, FABRIKAM } from '@socialauth/emulator';
import { consentCallback, deliver, start, startHarness, type Harness } from '@socialauth/testkit';
import { microsoft, type MicrosoftOptions } from '../src';

const [MINJI, SEOYEON, JUNHO] = [
  '00000000-0000-0000-66f3-3332eca7ea81',
  '5b8d2f6e-1c3a-4e7b-9a0d-2f4c6e8a1b3d',
  '00000000-0000-0000-a1b2-c3d4e5f60718',
];

let h: Harness | undefined;
const verified = new Map<string, boolean>();
afterEach(() => h?.close());

async function harness(options: MicrosoftOptions = {}) {
  h = await startHarness((emulator) => ({
    providers: [microsoft({ ...DEFAULT_CLIENTS.microsoft, origin: emulator.origin, ...options })],
    hooks: {
      onLogin: ({ profile }) => {
        verified.set(profile.id, profile.emailVerified);
      },
    },
  }));
  return h;
}

async function signIn(h: Harness, user: string) {
  const agent = h.newAgent();
  const back = await consentCallback(await start(agent, 'microsoft'), { user });
  const res = await deliver(agent, back, 'application/json');
  return { agent, res };
}

test('common: work and personal accounts; the subject is tid:oid; email verified only with xms_edov', async () => {
  const h = await harness();
  const url = await start(h.agent, 'microsoft');
  expect(url.pathname).toBe('/common/oauth2/v2.0/authorize');
  expect(url.searchParams.get('response_mode')).toBe('form_post');
  // Microsoft's discovery lists no PKCE methods (nor does the emulator's): sent all the same.
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  for (const [user, tid, emailVerified] of [
    [MINJI, CONTOSO, true],
    [SEOYEON, FABRIKAM, false],
    [JUNHO, CONSUMER_TENANT, true],
  ] as const) {
    const { agent, res } = await signIn(h, user);
    expect([user, res.status]).toEqual([user, 302]);
    const session = (await agent.get('/auth/session').expect(200)).body.user;
    expect(session.identities[0].subject).toBe(`${tid}:${user}`);
    // Seo-yeon's domain owner is not verified (no xms_edov): her address is not a verified one.
    expect([user, verified.get(`${tid}:${user}`)]).toEqual([user, emailVerified]);
  }
  expect(h.emulator.count('microsoft', 'userinfo')).toBe(0);
});

test('tenants: a user of another tenant is refused after the ID token names it', async () => {
  const h = await harness({ tenants: [CONTOSO] });
  expect((await signIn(h, MINJI)).res.status).toBe(302);
  const other = await signIn(h, SEOYEON);
  expect([other.res.status, other.res.body.error.code]).toEqual([502, 'id_token_invalid']);
});

test('an iss that is not the template filled with the token’s own tid, or a tid that is no GUID: refused', async () => {
  const h = await harness();
  for (const claims of [
    { iss: `https://login.microsoftonline.com/${FABRIKAM}/v2.0` },
    { iss: 'https://login.microsoftonline.com/{tenantid}/v2.0' },
    {
      tid: 'contoso.onmicrosoft.com',
      iss: 'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0',
    },
  ]) {
    h.emulator.nextIdTokenClaims('microsoft', claims);
    const { res } = await signIn(h, MINJI);
    expect([claims, res.body.error?.code]).toEqual([claims, 'id_token_invalid']);
  }
});

test('organizations shows work accounts only; consumers has a fixed issuer', async () => {
  const org = await harness({ tenant: 'organizations' });
  await expect(
    consentCallback(await start(org.agent, 'microsoft'), { user: JUNHO }),
  ).rejects.toThrow(/No account matches/);
  await org.close();
  h = undefined;
  const personal = await harness({ tenant: 'consumers' });
  expect((await signIn(personal, JUNHO)).res.status).toBe(302);
});

test('organizations refuses a personal account even when a token says so; tenant ids in any case', async () => {
  const org = await harness({ tenant: 'organizations' });
  org.emulator.nextIdTokenClaims('microsoft', {
    tid: CONSUMER_TENANT,
    iss: `https://login.microsoftonline.com/${CONSUMER_TENANT}/v2.0`,
  });
  const { res } = await signIn(org, MINJI);
  expect([res.status, res.body.error.code]).toEqual([403, 'access_denied']);
  await org.close();
  const upper = await harness({ tenants: [CONTOSO.toUpperCase()] });
  expect((await signIn(upper, MINJI)).res.status).toBe(302);
});

test('tenants with one tenant, or not a GUID: start-up issues', () => {
  const fields = (options: MicrosoftOptions) =>
    microsoft({ ...DEFAULT_CLIENTS.microsoft, ...options })
      .validate()
      .map((i) => i.field);
  expect(fields({ tenant: CONTOSO, tenants: [CONTOSO] })).toEqual(['tenants']);
  expect(fields({ tenants: ['contoso.com'] })).toEqual(['tenants']);
});

test('a tenant given by domain name fails at start-up with the fix', () => {
  const issues = microsoft({
    ...DEFAULT_CLIENTS.microsoft,
    tenant: 'contoso.onmicrosoft.com',
  }).validate();
  expect(issues).toEqual([
    expect.objectContaining({ field: 'tenant', message: expect.stringMatching(/a GUID/) }),
  ]);
});
