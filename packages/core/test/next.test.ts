import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consent, sessions, signIn, start, startHarness, type Harness } from '@socialauth/testkit';

const corpus = (name: string) =>
  readFileSync(join(__dirname, 'fixtures', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as string);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** The `next` the start route stored for the newest flow. */
async function storedNext(query: string) {
  const agent = h.newAgent();
  await agent.get(`/auth/google${query}`).expect(302);
  const cookie = (
    await agent.jar.getCookie('socialauth.sid', {
      domain: '127.0.0.1',
      path: '/',
      secure: false,
      script: false,
    })
  )?.value;
  const id = decodeURIComponent(cookie ?? '')
    .slice(2)
    .split('.')[0]!;
  const flows = sessions(h.store)[id]?.socialauth?.flows ?? {};
  return Object.values(flows)[0]?.next;
}

describe('next at the start route', () => {
  test.each(corpus('redirect-reject.jsonl'))('drops %j', async (value) => {
    expect(await storedNext(`?next=${encodeURIComponent(value)}`)).toBeUndefined();
  });

  test.each(corpus('redirect-keep.jsonl').filter((v) => v.startsWith('/')))(
    'keeps %j',
    async (value) => {
      expect(await storedNext(`?next=${encodeURIComponent(value)}`)).toBeDefined();
    },
  );

  test('longer than 2 KB: dropped', async () => {
    expect(await storedNext(`?next=/${'a'.repeat(2048)}`)).toBeUndefined();
  });

  // Not one string is a malformed request at the door (query-shape.test.ts), before any flow.
  test('sent as an array: the start is refused 400 and no flow is stored', async () => {
    const agent = h.newAgent();
    await agent.get('/auth/google?next=/a&next=/b').expect(400);
    expect(
      await agent.jar.getCookie('socialauth.sid', {
        domain: '127.0.0.1',
        path: '/',
        secure: false,
        script: false,
      }),
    ).toBeUndefined();
  });

  test('an unsafe next falls back to afterLogin after a real sign-in', async () => {
    const res = await signIn(h, { next: '//evil.com', agent: h.newAgent() });
    expect(res.headers.location).toBe('/');
  });

  test('a safe next is where the sign-in lands', async () => {
    const agent = h.newAgent();
    const back = await consent(await start(agent, 'google', '/settings/connections?tab=2'));
    expect((await agent.get(back)).headers.location).toBe('/settings/connections?tab=2');
  });
});
