// A harness with all three providers, shared-email test users, recorded hooks, and a chosen store.
import express from 'express';
import { DEFAULT_CLIENTS, type Emulator } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import { naver } from '@socialauth/naver';
import type supertest from 'supertest';
import type { AccountStore, SocialAuthConfig } from '@socialauth/core';
import { consent, csrfToken, start, startHarness, type Harness } from './harness';

export const SHARED = 'shared@example.com';
export const USERS = {
  google: [
    { sub: '200000000000000000001', email: SHARED, email_verified: true, name: 'Google Shared' },
    {
      sub: '200000000000000000002',
      email: 'other@example.com',
      email_verified: true,
      name: 'Google Other',
    },
  ],
  kakao: [
    { id: '9007199254740993', nickname: 'Kakao Verified', email: SHARED },
    {
      id: '9007199254740995',
      nickname: 'Kakao Unverified',
      email: SHARED,
      is_email_verified: false,
    },
    {
      id: '9007199254740997',
      nickname: 'Kakao Alone',
      email: 'alone@example.com',
      phone_number: '+82 10-9876-5432',
      shipping_address: {
        receiver_name: '김혼자',
        base_address: '서울특별시 종로구 사직로 161',
        detail_address: '101호',
      },
    },
  ],
  naver: [
    {
      key: 'minji',
      name: 'Naver Shared',
      nickname: 'minji',
      email: SHARED,
      mobile: '010-2222-3333',
    },
  ],
};

export interface AccountsHarness extends Harness {
  events: string[];
  /** The app socialAuth is mounted on, to add routes of the app's own. */
  app: express.Express;
}

export async function startAccountsHarness(
  accounts: AccountStore,
  /** More config, or a function of the emulator for config that needs its origin. */
  extra: Partial<SocialAuthConfig> | ((emulator: Emulator) => Partial<SocialAuthConfig>) = {},
): Promise<AccountsHarness> {
  const events: string[] = [];
  const app = express();
  const record = (name: string) => (e: { identity: { provider: string } }) => {
    events.push(`${name}:${e.identity.provider}`);
  };
  const h = await startHarness(
    (emulator: Emulator) => ({
      providers: [
        google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin, accessType: 'offline' }),
        naver({ ...DEFAULT_CLIENTS.naver, origin: emulator.origin }),
        kakao({
          ...DEFAULT_CLIENTS.kakao,
          origin: emulator.origin,
          scopes: ['profile_nickname', 'account_email'],
        }),
      ],
      accounts,
      hooks: {
        onSignup: record('signup'),
        onLogin: record('login'),
        onLink: record('link'),
        onUnlink: record('unlink'),
        onError: (err, ctx) => {
          events.push(`error:${err.code}:${ctx.provider}`);
        },
      },
      ...(typeof extra === 'function' ? extra(emulator) : extra),
    }),
    app,
    { users: USERS },
  );
  return Object.assign(h, { events, app });
}

/** A full sign-in through the app's routes; returns the callback's redirect target. */
export async function signInAs(
  h: Harness,
  provider: string,
  user: string,
  agent: supertest.Agent = h.agent,
  next?: string,
) {
  const back = await consent(await start(agent, provider, next), { user });
  const res = await agent.get(back).set('Accept', 'text/html');
  return res.headers.location as string;
}

/**
 * Signs in through the pending-link page's own link for `provider` (the only sign-in that carries
 * a pending link over); returns the callback's redirect target.
 */
export async function signInFromLinkPage(
  provider: string,
  user: string,
  agent: supertest.Agent,
): Promise<string> {
  const page = await agent.get('/auth/link').expect(200);
  const href = new RegExp(`href="(/auth/${provider}\\?[^"]+)"`)
    .exec(page.text)?.[1]
    ?.replace(/&(amp|#38);/g, '&');
  if (!href) throw new Error(`the link page offers no sign-in with ${provider}`);
  const started = await agent.get(href).expect(302);
  const back = await consent(new URL(started.headers.location as string), { user });
  return (await agent.get(back).set('Accept', 'text/html')).headers.location as string;
}

/** Connects `provider` for the signed-in user of `agent`, consenting as `user`. */
export async function connect(h: Harness, provider: string, user: string, agent = h.agent) {
  const token = await csrfToken(agent);
  const res = await agent
    .post(`/auth/${provider}/connect?next=/connections`)
    .set('X-CSRF-Token', token)
    .expect(302);
  const back = await consent(new URL(res.headers.location as string), { user });
  return agent.get(back).set('Accept', 'application/json');
}

export async function disconnect(h: Harness, provider: string, agent = h.agent) {
  const token = await csrfToken(agent);
  return agent
    .post(`/auth/${provider}/disconnect`)
    .set('X-CSRF-Token', token)
    .set('Accept', 'application/json');
}

export async function me(agent: supertest.Agent) {
  return (await agent.get('/auth/session')).body as {
    user?: { id: string; email?: string };
    identities?: { provider: string; subject: string; email?: string; linkedAt: string }[];
    error?: { code: string };
  };
}
