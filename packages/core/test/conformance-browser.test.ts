// OpenID Connect relying-party conformance (issue 17, item 5) for the browser sign-in: google()
// and oidc() (generic, by issuer, against the emulator's Google), each module a row with the
// outcome OIDC Core §3.1.3.7, RFC 6749, RFC 9207 and OIDC Discovery ask for. The ID token rows
// are shared with the app paths (conformance.ts); the rest only exist where there is a redirect,
// a discovery document, a token response or userinfo.
import { DEFAULT_CLIENTS, type Emulator, type Fault } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { oidc, type ProviderPlugin } from '../src';
import { ID_TOKEN_CASES, expected, queueIdTokenFaults, type Outcome } from './conformance';
import { consent, startHarness, type Harness } from '@socialauth/testkit';

const CLIENT_ID = DEFAULT_CLIENTS.google.clientId;
type Path = 'google()' | 'oidc()';

const PLUGINS: Record<Path, (emulator: Emulator) => ProviderPlugin> = {
  'google()': (emulator) => google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin }),
  'oidc()': (emulator) =>
    oidc({
      id: 'google',
      name: 'Google (OIDC)',
      issuer: 'https://accounts.google.com',
      origin: emulator.origin,
      ...DEFAULT_CLIENTS.google,
    }),
};

interface FlowCase {
  module: string;
  faults: readonly (readonly [endpoint: 'discovery' | 'consent' | 'token' | 'userinfo', Fault])[];
  expect: Partial<Record<Path, Outcome>>;
}

const redirect = (set: Record<string, string | undefined>): Fault => ({
  kind: 'rewrite-redirect',
  set,
});
const json = (set: Record<string, unknown>): Fault => ({ kind: 'rewrite-json', set });
const ADVERTISES_ISS = json({ authorization_response_iss_parameter_supported: true });

/** Modules about the redirect, discovery, the token response and userinfo. */
const FLOW_CASES: readonly FlowCase[] = [
  {
    module: 'ensure-authorization-response-with-invalid-state-fails',
    // A state that matches no stored flow reads as a flow that expired (flow/state.ts).
    faults: [['consent', redirect({ state: 'not-the-state-sent' })]],
    expect: { 'google()': 'login_expired', 'oidc()': 'login_expired' },
  },
  {
    module: 'ensure-authorization-response-with-invalid-missing-state-fails',
    faults: [['consent', redirect({ state: undefined })]],
    expect: { 'google()': 'state_mismatch', 'oidc()': 'state_mismatch' },
  },
  {
    module: 'invalid-authorization-response-iss (RFC 9207)',
    faults: [['consent', redirect({ iss: 'https://evil.example' })]],
    expect: { 'google()': 'state_mismatch', 'oidc()': 'state_mismatch' },
  },
  {
    // Google sends iss but its discovery does not promise it: a response without it is taken.
    module: 'remove-authorization-response-iss, not advertised',
    faults: [['consent', redirect({ iss: undefined })]],
    expect: { 'google()': 'accepted', 'oidc()': 'accepted' },
  },
  {
    // RFC 9207 §2.4: advertised, so a response without iss is refused.
    module: 'remove-authorization-response-iss, advertised in discovery',
    faults: [
      ['discovery', ADVERTISES_ISS],
      ['consent', redirect({ iss: undefined })],
    ],
    expect: { 'oidc()': 'state_mismatch' },
  },
  {
    module: 'iss present and advertised in discovery',
    faults: [['discovery', ADVERTISES_ISS]],
    expect: { 'oidc()': 'accepted' },
  },
  {
    module: 'discovery-issuer-mismatch',
    faults: [['discovery', json({ issuer: 'https://accounts.google.com.evil.example' })]],
    expect: { 'oidc()': 'config_invalid' },
  },
  {
    module: 'userinfo-invalid-sub',
    faults: [['userinfo', json({ sub: '109999999999999999999' })]],
    expect: { 'google()': 'id_token_invalid', 'oidc()': 'id_token_invalid' },
  },
  {
    module: 'token-type-case-insensitivity (bearer)',
    faults: [['token', json({ token_type: 'bearer' })]],
    expect: { 'google()': 'accepted', 'oidc()': 'accepted' },
  },
  {
    module: 'token-type-case-insensitivity (BEARER)',
    faults: [['token', json({ token_type: 'BEARER' })]],
    expect: { 'google()': 'accepted', 'oidc()': 'accepted' },
  },
  {
    module: 'no-scope-in-token-endpoint-response',
    faults: [['token', json({ scope: undefined })]],
    expect: { 'google()': 'accepted', 'oidc()': 'accepted' },
  },
  {
    module: 'token-endpoint-response-without-expires_in',
    faults: [['token', json({ expires_in: undefined })]],
    expect: { 'google()': 'accepted', 'oidc()': 'accepted' },
  },
];

/** A whole browser sign-in on a fresh agent: accepted (a session), or the refusal's code. */
async function signIn(h: Harness): Promise<Outcome> {
  const agent = h.newAgent();
  const started = await agent.get('/auth/google').set('Accept', 'application/json');
  if (started.status !== 200) return String(started.body?.error?.code);
  const back = await consent(new URL(started.body.redirectUrl as string));
  const res = await agent.get(back).set('Accept', 'application/json');
  const session = await agent.get('/auth/session');
  if (res.status === 302 && session.status === 200) return 'accepted';
  expect(session.status).toBe(401); // refused: nobody signed in
  return String(res.body?.error?.code);
}

describe.each(Object.keys(PLUGINS) as Path[])('%s', (path) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  // A fresh app and emulator per row: discovery and the JWKS are cached per plugin.
  const harness = () => startHarness((emulator) => ({ providers: [PLUGINS[path](emulator)] }));

  test.each(ID_TOKEN_CASES.map((c) => [c.module, c] as const))('%s', async (_module, c) => {
    h = await harness();
    queueIdTokenFaults(h.emulator, 'google', c, CLIENT_ID);
    expect(await signIn(h)).toBe(expected(c, 'browser'));
  });

  const flows = FLOW_CASES.filter((c) => c.expect[path] !== undefined);
  test.each(flows.map((c) => [c.module, c] as const))('%s', async (_module, c) => {
    h = await harness();
    for (const [endpoint, fault] of c.faults) h.emulator.failNext('google', endpoint, fault);
    expect(await signIn(h)).toBe(c.expect[path]);
  });
});
