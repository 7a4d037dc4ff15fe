// Issue 13, row 3: each identity keeps the provider's latest profile (allauth's extra_data),
// replaced at each sign-in, bounded, never a credential; the app reads it with
// req.socialAuth.providerData(provider). Against both stores.
import { type AccountStore } from '../src';
import { providerData } from '../src/kit';
import { signInAs, startAccountsHarness, type AccountsHarness } from './accounts-harness';
import { accountStores } from './account-stores';
import { consent, start } from './helpers';

describe('providerData()', () => {
  test('keeps the profile, drops credentials wherever they are, and inline pictures', () => {
    const kept = providerData({
      sub: '1',
      name: 'Ada',
      access_token: 'ya29.x',
      nested: { refresh_token: '1//0', clientSecret: 's', ok: true, list: [{ id_token: 'e' }] },
      picture: `data:image/png;base64,${'A'.repeat(5000)}`,
    });
    expect(JSON.parse(kept!)).toEqual({ sub: '1', name: 'Ada', nested: { ok: true, list: [{}] } });
  });

  test('text is parsed; nothing usable, or over 8 KB: undefined', () => {
    expect(providerData('{"id":"9007199254740993"}')).toBe('{"id":"9007199254740993"}');
    expect(providerData('not json')).toBeUndefined();
    expect(providerData([1, 2])).toBeUndefined();
    expect(providerData({ token: 'x' })).toBeUndefined();
    const big = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`k${i}`, 'v'.repeat(900)]),
    );
    expect(providerData(big)).toBeUndefined();
  });
});

const stores = accountStores('data');

describe.each(stores)('stored provider data (%s store)', (_name, makeStore) => {
  let h: AccountsHarness;
  let store: AccountStore;
  beforeEach(async () => {
    store = makeStore();
    h = await startAccountsHarness(store);
    h.app.get('/api/data', async (req, res) => {
      res.json({ data: (await req.socialAuth.providerData(String(req.query.provider))) ?? null });
    });
  });
  afterEach(async () => {
    await h.close();
    await store.close?.();
  });

  const data = async (provider: string, agent = h.agent) =>
    (await agent.get(`/api/data?provider=${provider}`).expect(200)).body.data as Record<
      string,
      unknown
    > | null;

  test('the latest profile, never a token', async () => {
    await signInAs(h, 'google', '200000000000000000002');
    const first = await data('google');
    expect(first).toMatchObject({ sub: '200000000000000000002', email: 'other@example.com' });
    expect(JSON.stringify(first)).not.toMatch(/ya29\.|1\/\/0|token/i);

    expect(first).not.toHaveProperty('picture'); // the emulator's inline picture: over 1 KB
  });

  test('replaced at the next sign-in: what the user agreed to share this time', async () => {
    // First the user declines the email at Naver's consent screen, then agrees to it.
    const agent = h.newAgent();
    await agent.get(
      await consent(await start(agent, 'naver'), { user: 'minji', decline: ['email'] }),
    );
    const declined = await data('naver', agent);
    expect(declined).toMatchObject({ resultcode: '00', response: { nickname: 'minji' } });
    expect(declined?.response).not.toHaveProperty('email');
    await agent.get(await consent(await start(agent, 'naver'), { user: 'minji' }));
    expect((await data('naver', agent))?.response).toHaveProperty('email');
  });

  test("the user's name follows the provider's at each sign-in, once it gives one", async () => {
    const agent = h.newAgent();
    const name = async () =>
      ((await agent.get('/auth/session').expect(200)).body as { user: { name?: string } }).user
        .name;
    const naverAs = (decline: ('name' | 'nickname')[]) =>
      start(agent, 'naver').then((url) => consent(url, { user: 'minji', decline }));
    await agent.get(await naverAs(['name', 'nickname']));
    expect(await name()).toBeUndefined();
    await agent.get(await naverAs(['name']));
    expect(await name()).toBe('minji'); // the nickname, when the name is declined
    await agent.get(await naverAs([]));
    expect(await name()).toBe('Naver Shared');
    await agent.get(await naverAs(['name', 'nickname'])); // nothing given: the name stays
    expect(await name()).toBe('Naver Shared');
  });

  test("Kakao's profile keeps its 64-bit id exactly", async () => {
    await signInAs(h, 'kakao', '9007199254740997');
    expect(await data('kakao')).toMatchObject({ id: '9007199254740997' });
  });
});
