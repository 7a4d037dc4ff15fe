// Issue 17, "Profile fields": what a provider says about a user is cleaned and capped in core
// before any store sees it, for every provider alike. Before, a NUL in a Google name made every
// sign-in of that user fail on PostgreSQL (503, reported as a store outage: PostgreSQL's text
// refuses U+0000), and a 1 MB name was stored, answered by /auth/session and cached. Part of
// the store contract: run by core (memory, Redis) and by @socialauth/postgres.
import { DEFAULT_CLIENTS, type GoogleUser, type KakaoUser } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import type { AccountStore } from '@socialauth/core';
import type supertest from 'supertest';
import { signInAs } from '../accounts-harness';
import { consent, start, startHarness, type Harness } from '../harness';
import { accountStores, type StoreBackend } from './account-stores';

/** The user `/auth/session` answers for `agent`. */
const me = async (agent: supertest.Agent) =>
  (await agent.get('/auth/session')).body.user as Record<string, unknown> | undefined;

// 256 KB: past every cap on names, and still under the 1 MiB a provider answer may be (the ID
// token and userinfo both carry it; a 1 MB name is refused whole as an oversized answer).
const BIG = 'M'.repeat(256 * 1024);
const googleUsers: GoogleUser[] = [
  {
    sub: '300000000000000000001',
    email: 'nul@example.com',
    email_verified: true,
    name: 'Kim\u0000Minji',
  },
  { sub: '300000000000000000002', email: 'big@example.com', email_verified: true, name: BIG },
  {
    sub: '300000000000000000003',
    email: 'korean@example.com',
    email_verified: true,
    // Korean, an emoji joined by ZWJ, an accent: normal Unicode stays as it is.
    name: '김민지 👩‍💻 José',
    picture: 'https://lh3.googleusercontent.com/a/photo.jpg',
  },
  {
    sub: '300000000000000000004',
    email: `${'a'.repeat(320)}@example.com`,
    email_verified: true,
    name: 'Tab\tand\r\nlines\u202E evil\u0085',
    picture: 'javascript:alert(1)',
  },
  {
    sub: '300000000000000000005',
    name: 'Long picture',
    picture: `https://x.example/${'p'.repeat(2048)}`,
  },
  { sub: `3${'0'.repeat(255)}`, name: 'Subject over 255 characters' },
  { sub: '30000000000000000\u00010', name: 'Subject with a control character' },
];
const kakaoUsers: KakaoUser[] = [
  { id: '9007199254740993', nickname: `카카오\u0000${'가'.repeat(300)}` },
];

/** Registers the profile-field suites (titled by the backend's name), one per backend. */
export function runProfileFieldsContract(backends: readonly StoreBackend[]): void {
  describe.each(accountStores(backends, 'profile-fields:'))('%s', (_name, make) => {
    let h: Harness;
    let accounts: AccountStore;
    let errors: string[];
    beforeEach(async () => {
      accounts = make();
      errors = [];
      h = await startHarness(
        (emulator) => ({
          accounts,
          providers: [
            google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin }),
            kakao({
              ...DEFAULT_CLIENTS.kakao,
              origin: emulator.origin,
              scopes: ['profile_nickname'],
            }),
          ],
          hooks: { onError: (err) => void errors.push(err.code) },
        }),
        undefined,
        { users: { google: googleUsers, kakao: kakaoUsers } },
      );
    });
    afterEach(async () => {
      await h.close();
      await (accounts as { close?: () => Promise<void> }).close?.();
    });

    const stored = async (provider: string, subject: string) => {
      const identity = await accounts.findIdentity(provider, subject);
      return identity && accounts.getUser(identity.userId);
    };

    test('a NUL in the name is removed: the sign-in works, twice, and the store has the clean name', async () => {
      for (let i = 0; i < 2; i += 1) {
        const agent = h.newAgent();
        expect(await signInAs(h, 'google', googleUsers[0]!.sub, agent)).toBe('/');
        expect(await me(agent)).toMatchObject({ name: 'KimMinji' });
      }
      expect((await stored('google', googleUsers[0]!.sub))?.name).toBe('KimMinji');
      expect(errors).toEqual([]);
    });

    test('a 256 KB name is cut to 256 characters in the store, the session and the cache', async () => {
      expect(await signInAs(h, 'google', googleUsers[1]!.sub)).toBe('/');
      const session = await h.agent.get('/auth/session').expect(200);
      expect(session.body.user.name).toBe('M'.repeat(256));
      expect(session.text.length).toBeLessThan(4096);
      expect((await stored('google', googleUsers[1]!.sub))?.name).toBe('M'.repeat(256));
    });

    test('Korean names, emoji and accents are kept as given, with an https picture', async () => {
      expect(await signInAs(h, 'google', googleUsers[2]!.sub)).toBe('/');
      expect(await me(h.agent)).toMatchObject({
        name: '김민지 👩‍💻 José',
        email: 'korean@example.com',
        avatarUrl: 'https://lh3.googleusercontent.com/a/photo.jpg',
      });
    });

    test('an email over 320 characters, a javascript: picture and control characters are dropped', async () => {
      expect(await signInAs(h, 'google', googleUsers[3]!.sub)).toBe('/');
      const user = await me(h.agent);
      // Line breaks and tabs read as spaces; the bidi override and C1 control go.
      expect(user?.name).toBe('Tab and  lines evil');
      expect(user?.email).toBeUndefined();
      expect(user?.avatarUrl).toBeUndefined();
      const identity = await accounts.findIdentity('google', googleUsers[3]!.sub);
      expect(identity?.email).toBeUndefined();
      expect(identity?.emailVerified).toBe(false);
    });

    test('a picture URL over 2048 characters is dropped', async () => {
      expect(await signInAs(h, 'google', googleUsers[4]!.sub)).toBe('/');
      expect((await me(h.agent))?.avatarUrl).toBeUndefined();
    });

    test.each([
      ['over 255 characters', googleUsers[5]!.sub],
      ['with a control character', googleUsers[6]!.sub],
    ])('a subject id %s is refused as profile_fetch_failed, nothing stored', async (_why, sub) => {
      const res = await h.agent
        .get(await consent(await start(h.agent), { user: sub }))
        .set('Accept', 'application/json');
      expect([res.status, res.body.error?.code]).toEqual([502, 'profile_fetch_failed']);
      expect(await accounts.findIdentity('google', sub)).toBeUndefined();
      expect(errors).toEqual(['profile_fetch_failed']);
    });

    test('Kakao goes through the same cleaning: a NUL removed, a long nickname cut', async () => {
      expect(await signInAs(h, 'kakao', kakaoUsers[0]!.id)).toBe('/');
      const name = (await me(h.agent))?.name;
      expect(name).toBe(`카카오${'가'.repeat(253)}`);
    });
  });
}
