// toProfile on GitHub's documented shapes (docs.github.com REST "Users" and "Emails", checked
// 2026-12-07), and a sign-in through the emulator's GitHub for each kind of account.
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { consent, start, startHarness } from '@socialauth/testkit';
import { github, toProfile } from '../src';

const user = { id: 1, login: 'octocat', name: 'The Octocat', avatar_url: 'https://a.example/1' };

test('the email is the primary one, and only when verified', () => {
  const verified = toProfile({
    user,
    emails: [
      { email: 'other@example.com', primary: false, verified: true },
      { email: 'o@github.com', primary: true, verified: true },
    ],
  });
  expect(verified).toMatchObject({
    provider: 'github',
    id: '1',
    nickname: 'octocat',
    name: 'The Octocat',
    email: 'o@github.com',
    emailVerified: true,
  });
  const unverified = toProfile({
    user: { ...user, email: 'public@example.com' },
    emails: [
      { email: 'o@github.com', primary: true, verified: false },
      { email: 'other@example.com', primary: false, verified: true },
    ],
  });
  expect(unverified).toMatchObject({ email: undefined, emailVerified: false });
  expect(toProfile({ user: { ...user, name: null } })).toMatchObject({
    name: undefined,
    email: undefined,
  });
});

test('no id or login: profile_fetch_failed', () => {
  for (const raw of [undefined, {}, { user: { login: 'x' } }, { user: { id: '1', login: 'x' } }]) {
    expect(() => toProfile(raw)).toThrow(expect.objectContaining({ code: 'profile_fetch_failed' }));
  }
});

test('sign-ins through the emulator: the verified primary email, or none', async () => {
  const h = await startHarness((emulator) => ({
    providers: [github({ ...DEFAULT_CLIENTS.github, origin: emulator.origin })],
  }));
  try {
    const url = await start(h.agent, 'github');
    expect(url.pathname).toBe('/login/oauth/authorize');
    expect(url.searchParams.get('scope')).toBe('read:user user:email');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    await h.agent.get(await consent(url, { user: '583231' })).expect(302);
    const octocat = (await h.agent.get('/auth/session').expect(200)).body.user;
    expect(octocat).toMatchObject({ name: 'The Octocat', email: 'octocat@github.com' });
    expect(octocat.identities[0].subject).toBe('583231');

    const other = h.newAgent();
    await other.get(await consent(await start(other, 'github'), { user: '9919' })).expect(302);
    const minji = (await other.get('/auth/session').expect(200)).body.user;
    expect(minji.name).toBe('김민지');
    expect(minji.email).toBeUndefined();
  } finally {
    await h.close();
  }
});

test('a spent refresh token (GitHub rotates them) is bad_refresh_token: reauth_required', async () => {
  const seen: import('@socialauth/core/provider').TokenSet[] = [];
  const { observed } = await import('@socialauth/testkit');
  const h = await startHarness((emulator) => {
    const plugin = github({
      ...DEFAULT_CLIENTS.github,
      origin: emulator.origin,
      expiringTokens: true,
    });
    return { providers: [observed(plugin, seen)] };
  });
  try {
    await h.agent.get(await consent(await start(h.agent, 'github'))).expect(302);
    const plugin = github({
      ...DEFAULT_CLIENTS.github,
      origin: h.emulator.origin,
      expiringTokens: true,
    });
    const fresh = await plugin.refresh!(seen[0]!);
    expect(fresh.refreshToken).not.toBe(seen[0]!.refreshToken);
    await expect(plugin.refresh!(seen[0]!)).rejects.toMatchObject({ code: 'reauth_required' });
  } finally {
    await h.close();
  }
});
