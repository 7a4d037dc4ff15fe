// Issue 9, finding 1: a planted pending link. An attacker signs in with their own Naver account
// whose email matches the victim's account: a pending link waits in the attacker's session. If
// that session's cookie is planted in the victim's browser (cookie injection from a sibling
// domain), the link once survived the victim's own sign-in (it was carried across the session
// regeneration) and one click then linked the attacker's Naver to the victim's account. OWASP
// Session Management (fixation); the post-regeneration variant of CVE-2022-25896.
// Now a pending link survives only a sign-in started from its own link page, and the
// confirmation names the identity being linked.
import { maskEmail, memoryAccounts } from '../src';
import {
  USERS,
  me,
  signInAs,
  signInFromLinkPage,
  startAccountsHarness,
  type AccountsHarness,
  csrfToken,
} from '@socialauth/testkit';
import { DEFAULT_CLIENTS } from '@socialauth/emulator';

let h: AccountsHarness;
beforeEach(async () => {
  h = await startAccountsHarness(memoryAccounts());
  await signInAs(h, 'google', USERS.google[0]!.sub, h.newAgent()); // the victim's account
});
afterEach(() => h.close());

/** The attacker's session holding a pending link for their Naver identity; its cookie pair. */
async function plantedCookie(): Promise<string> {
  const attacker = h.newAgent();
  expect(await signInAs(h, 'naver', 'minji', attacker)).toBe('/auth/link');
  const cookie = await attacker.jar.getCookie('socialauth.sid', {
    domain: new URL(h.baseURL).hostname,
    path: '/',
    secure: false,
    script: false,
  });
  return `socialauth.sid=${cookie!.value}`;
}

async function confirm(agent: ReturnType<AccountsHarness['newAgent']>) {
  return agent
    .post('/auth/link')
    .type('form')
    .send({ _csrf: await csrfToken(agent), action: 'confirm' });
}

test('a planted pending link does not survive the victim signing in the usual way', async () => {
  const victim = h.newAgent();
  victim.jar.setCookie(await plantedCookie(), new URL(h.baseURL).hostname, '/');
  // The victim signs in as always, even on a page that sends them to /auth/link afterwards.
  expect(await signInAs(h, 'google', USERS.google[0]!.sub, victim, '/auth/link')).toBe(
    '/auth/link',
  );
  const page = await victim.get('/auth/link');
  expect(page.status).toBe(302); // nothing pending here
  await confirm(victim);
  expect((await me(victim)).identities?.map((i) => i.provider)).toEqual(['google']);
});

test('the link page signs in for that link, and its confirmation names the identity', async () => {
  const browser = h.newAgent();
  expect(await signInAs(h, 'naver', 'minji', browser)).toBe('/auth/link');
  const page = await browser.get('/auth/link').expect(200);
  expect(page.text).toMatch(/href="\/auth\/google\?[^"]*link=[\w-]{20,}"/);
  expect(await signInFromLinkPage('google', USERS.google[0]!.sub, browser)).toBe('/auth/link');
  const ask = await browser.get('/auth/link').expect(200);
  expect(ask.text).toContain('Naver');
  expect(ask.text).toContain('Naver Shared'); // the name Naver gave
  expect(ask.text).toContain('s•••@example.com'); // masked (CWE-204), still recognisable
  expect((await confirm(browser)).status).toBe(303);
  const identities = (await me(browser)).identities ?? [];
  expect(identities.map((i) => i.provider).sort()).toEqual(['google', 'naver']);
  // A masked id, never the raw subject.
  const subject = identities.find((i) => i.provider === 'naver')!.subject;
  expect(ask.text).not.toContain(subject);
  expect(ask.text).toContain(`${subject.slice(0, 3)}•••${subject.slice(-3)}`);
});

test.each([
  ['ada.lovelace@gmail.com', 'a•••@gmail.com'],
  ['a@gmail.com', 'a•••@gmail.com'],
  ['김민지@example.kr', '김•••@example.kr'],
  ['😀x@example.com', '😀•••@example.com'],
  ['no-at-sign', '•••'],
  ['@example.com', '•••'],
])('maskEmail(%j) is %j: neither the address nor its length shows', (email, masked) => {
  expect(maskEmail(email)).toBe(masked);
});

// CWE-204: a token sign-in that ends in a pending link answers its id and provider, never the
// matching account's address.
test('a token sign-in ending in a pending link: 409 link_pending without the email', async () => {
  const tokens = h.emulator.appTokens('naver', {
    user: 'minji',
    clientId: DEFAULT_CLIENTS.naver.clientId,
  });
  const res = await h
    .newAgent()
    .post('/auth/naver/token')
    .set('Accept', 'application/json')
    .send(tokens);
  expect([res.status, res.body.error?.code]).toEqual([409, 'link_pending']);
  expect(Object.keys(res.body.pendingLink).sort()).toEqual(['id', 'provider']);
  expect(res.text).not.toContain('shared@');
});
