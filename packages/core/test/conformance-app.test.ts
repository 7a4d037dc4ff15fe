// OpenID Connect relying-party conformance (issue 17, item 5) for token sign-in: an ID token an
// app's SDK obtained (Google Sign-In, the Kakao SDK with openid) posted to
// POST /auth/:provider/token. Only the ID token modules apply (no redirect, state, discovery or
// token response here); a token for another app is token_audience_mismatch on these paths.
import { DEFAULT_CLIENTS, DEFAULT_USERS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import { ID_TOKEN_CASES, expected, overrideOf, type Outcome } from './conformance';
import { startHarness, type Harness } from '@socialauth/testkit';

const PATHS = {
  'Google token': { provider: 'google', user: DEFAULT_USERS.google[0]!.sub },
  'Kakao token': { provider: 'kakao', user: DEFAULT_USERS.kakao[0]!.id },
} as const;
type Path = keyof typeof PATHS;

const NONCE = 'app-nonce-1';

describe.each(Object.keys(PATHS) as Path[])('%s', (path) => {
  const { provider, user } = PATHS[path];
  const clientId = DEFAULT_CLIENTS[provider].clientId;
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  test.each(ID_TOKEN_CASES.map((c) => [c.module, c] as const))('%s', async (_module, c) => {
    // A fresh app and emulator per row: the verifier caches the JWKS.
    h = await startHarness((emulator) => ({
      providers: [
        google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin }),
        kakao({ ...DEFAULT_CLIENTS.kakao, origin: emulator.origin }),
      ],
    }));
    if (c.decoyKey) h.emulator.failNext(provider, 'jwks', { kind: 'jwks-decoy-key' });
    const idToken = await h.emulator.appIdToken(provider, {
      user,
      clientId,
      nonce: NONCE,
      claims: overrideOf(c, clientId),
      signature: c.signature,
    });
    const res = await h.agent
      .post(`/auth/${provider}/token`)
      .set('Accept', 'application/json')
      .send({ idToken, nonce: NONCE });
    const session = await h.agent.get('/auth/session');
    const outcome: Outcome =
      res.status === 200 && session.status === 200 ? 'accepted' : String(res.body?.error?.code);
    if (outcome !== 'accepted') expect(session.status).toBe(401);
    expect(outcome).toBe(expected(c, 'app'));
  });
});
