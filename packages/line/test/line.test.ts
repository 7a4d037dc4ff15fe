// LINE's quirks against the emulator's LINE: the HS256 ID token keyed with the channel secret is
// the profile (a token keyed otherwise is refused), the email permission, Korean names.
import { createHmac } from 'node:crypto';
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { consent, start, startHarness } from '@socialauth/testkit';
import { line } from '../src';

test('sign-in: the ID token is the profile, with the email when the scope is granted', async () => {
  const h = await startHarness((emulator) => ({
    providers: [
      line({
        ...DEFAULT_CLIENTS.line,
        origin: emulator.origin,
        scopes: ['profile', 'openid', 'email'],
      }),
    ],
  }));
  try {
    const url = await start(h.agent, 'line');
    expect(url.pathname).toBe('/oauth2/v2.1/authorize');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('nonce')).toEqual(expect.any(String));
    await h.agent.get(await consent(url)).expect(302);
    const { user } = (await h.agent.get('/auth/session').expect(200)).body;
    expect(user).toMatchObject({ name: '김민지', email: 'minji.kim@example.jp' });
    expect(h.emulator.count('line', 'userinfo')).toBe(0);
  } finally {
    await h.close();
  }
});

test('an ID token keyed with another secret, or signed RS256 with no key to check it: refused', async () => {
  const h = await startHarness((emulator) => ({
    providers: [line({ ...DEFAULT_CLIENTS.line, origin: emulator.origin })],
  }));
  try {
    // Signed with another key than the channel secret (the token answer rewritten).
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: 'https://access.line.me',
      sub: 'Uforged',
      aud: DEFAULT_CLIENTS.line.clientId,
      iat: now,
      exp: now + 600,
    };
    const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
    const forged = `${input}.${createHmac('sha256', 'not-the-channel-secret').update(input).digest('base64url')}`;
    h.emulator.failNext('line', 'token', { kind: 'rewrite-json', set: { id_token: forged } });
    const res = await h.agent
      .get(await consent(await start(h.agent, 'line')))
      .set('Accept', 'application/json');
    expect([res.status, res.body.error.code]).toEqual([502, 'id_token_invalid']);
    h.emulator.failNext('line', 'token', { kind: 'id-token-signature', signature: 'no-kid' });
    const rs = await h.agent
      .get(await consent(await start(h.agent, 'line')))
      .set('Accept', 'application/json');
    expect([rs.status, rs.body.error.code]).toEqual([502, 'id_token_invalid']);
  } finally {
    await h.close();
  }
});
