// Express 4.21+ is supported as well as 5: the same router mounted in an Express 4 app.
import express4 from 'express4';
import express4Package from 'express4/package.json';
import { signIn, startHarness, logout } from '@socialauth/testkit';

test('a full sign-in works when mounted in an Express 4 app', async () => {
  const app = express4();
  const h = await startHarness(() => ({}), app as unknown as Parameters<typeof startHarness>[1]);
  try {
    expect(express4Package.version).toMatch(/^4\./);
    const res = await signIn(h, { next: '/four' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/four');
    const me = await h.agent.get('/auth/session').expect(200);
    expect(me.body.user.provider).toBe('google');
    expect((await logout(h.agent)).status).toBe(303);
    await h.agent.get('/auth/session').expect(401);
  } finally {
    await h.close();
  }
});
