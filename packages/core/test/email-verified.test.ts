// Issue 9, finding 4: `req.user.email` may be a provider's unverified address (it is shown to the
// user), so `req.user.emailVerified` says which it is. An app that trusts an email for anything
// (OIDC Core §5.7: email is not a stable identifier; only `email_verified` makes it the user's)
// must be able to tell.
import { consent, start, startHarness, type Harness } from '@socialauth/testkit';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

async function signInAs(user: string) {
  await h.agent.get(await consent(await start(h.agent), { user })).expect(302);
  return (await h.agent.get('/auth/session').expect(200)).body.user;
}

test('a verified Google email: emailVerified true', async () => {
  const user = await signInAs('alice.kim@gmail.com');
  expect(user).toMatchObject({ email: 'alice.kim@gmail.com', emailVerified: true });
});

test('an unverified Google email is shown, flagged emailVerified false', async () => {
  const user = await signInAs('carol.lee@example.net');
  expect(user.email).toBe('carol.lee@example.net');
  expect(user.emailVerified).toBe(false);
});
