// Issue 13, row 3: each identity keeps the provider's latest profile (allauth's extra_data),
// replaced at each sign-in, bounded, never a credential; the app reads it with
// req.socialAuth.providerData(provider). Against every store (PostgreSQL's runs in
// packages/postgres/test).
import { memoryBackend, redisBackend, runProviderDataContract } from '@socialauth/testkit';
import { providerData } from '../src/provider';

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

runProviderDataContract([memoryBackend(), redisBackend()]);
