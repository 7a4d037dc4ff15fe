// The configured providers' pure parts: profile mapping (claim names, verified emails, ids)
// and the configuration problems they report at start-up, each naming its field.
import { SocialAuthError, oauth2, oidc } from '../src';
import { type OAuth2Options } from '../src/provider';

const client = { clientId: 'id', clientSecret: 'secret' };
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as SocialAuthError).code;
  }
  return undefined;
};

describe('oidc() profile mapping', () => {
  const plugin = oidc({ id: 'op', issuer: 'https://op.example', ...client });

  test('standard claims', () => {
    const raw =
      '{"sub":"u1","email":"a@b.c","email_verified":true,"name":"A","picture":"https://p/a.png","preferred_username":"aa"}';
    expect(plugin.toProfile(raw)).toEqual({
      provider: 'op',
      id: 'u1',
      email: 'a@b.c',
      emailVerified: true,
      name: 'A',
      nickname: 'aa',
      avatarUrl: 'https://p/a.png',
      raw: JSON.parse(raw),
    });
  });

  test('overridden claim names; "true" as a string counts as verified', () => {
    const custom = oidc({
      id: 'op',
      issuer: 'https://op.example',
      ...client,
      claims: {
        email: 'mail',
        emailVerified: 'mail_ok',
        name: 'display',
        nickname: 'handle',
        avatarUrl: 'photo',
      },
    });
    expect(
      custom.toProfile({
        sub: 's',
        mail: 'm@x.y',
        mail_ok: 'true',
        display: 'D',
        handle: 'h',
        photo: 'https://p',
      }),
    ).toMatchObject({
      email: 'm@x.y',
      emailVerified: true,
      name: 'D',
      nickname: 'h',
      avatarUrl: 'https://p',
    });
  });

  test('an unverified or absent email is not trusted; no sub is profile_fetch_failed', () => {
    expect(
      plugin.toProfile({ sub: 's', email: 'a@b.c', email_verified: false }).emailVerified,
    ).toBe(false);
    expect(plugin.toProfile({ sub: 's', email_verified: true }).emailVerified).toBe(false);
    expect(codeOf(() => plugin.toProfile({ email: 'a@b.c' }))).toBe('profile_fetch_failed');
    expect(codeOf(() => plugin.toProfile('not json'))).toBe('profile_fetch_failed');
  });

  test('validate(): issuer, scopes and credentials, by field', () => {
    const fields = (o: Partial<Parameters<typeof oidc>[0]>) =>
      oidc({ id: 'op', issuer: 'https://op.example', ...client, ...o })
        .validate()
        .map((i) => i.field);
    expect(fields({})).toEqual([]);
    expect(fields({ issuer: 'op.example' })).toEqual(['issuer']);
    expect(fields({ issuer: 'http://op.example' })).toEqual(['issuer']);
    expect(fields({ issuer: 'http://localhost:4000' })).toEqual([]);
    expect(fields({ scopes: ['email'] })).toEqual(['scopes']);
    expect(fields({ clientId: '', clientSecret: '' })).toEqual(['clientId', 'clientSecret']);
  });
});

describe('oauth2() profile mapping', () => {
  const make = (toProfile: OAuth2Options['toProfile']) =>
    oauth2({
      id: 'gh',
      authorizationURL: 'https://gh.example/authorize',
      tokenURL: 'https://gh.example/token',
      userInfoURL: 'https://api.gh.example/user',
      ...client,
      toProfile,
    });

  test('the app’s mapping, with provider and raw filled in; ids as strings', () => {
    const plugin = make((u) => ({
      id: u.id as number,
      nickname: u.login as string,
      email: 'a@b.c',
      emailVerified: true,
    }));
    expect(plugin.toProfile('{"id":42,"login":"octo"}')).toEqual({
      provider: 'gh',
      id: '42',
      email: 'a@b.c',
      emailVerified: true,
      name: undefined,
      nickname: 'octo',
      avatarUrl: undefined,
      raw: { id: 42, login: 'octo' },
    });
  });

  test('an id past 2^53, a missing id, or a throwing mapping: profile_fetch_failed', () => {
    expect(
      codeOf(() => make((u) => ({ id: u.id as number })).toProfile('{"id":9007199254740993}')),
    ).toBe('profile_fetch_failed');
    expect(codeOf(() => make(() => ({ id: '' })).toProfile('{}'))).toBe('profile_fetch_failed');
    expect(
      codeOf(() =>
        make(() => {
          throw new Error('boom');
        }).toProfile('{}'),
      ),
    ).toBe('profile_fetch_failed');
  });

  test('the body text reaches the mapping, for exact 64-bit ids', () => {
    const plugin = make((_u, text) => ({ id: /"id":(\d+)/.exec(text ?? '')![1]! }));
    expect(plugin.toProfile('{"id":9007199254740993}').id).toBe('9007199254740993');
  });

  test('validate(): each URL by its field; TLS except on localhost', () => {
    const plugin = oauth2({
      id: 'gh',
      authorizationURL: 'http://gh.example/authorize',
      tokenURL: 'not a url',
      userInfoURL: 'http://localhost:4000/user',
      revocationURL: 'http://gh.example/revoke',
      ...client,
      toProfile: () => ({ id: '1' }),
    });
    expect(plugin.validate().map((i) => i.field)).toEqual([
      'authorizationURL',
      'tokenURL',
      'revocationURL',
    ]);
    expect(plugin.revoke).toBeDefined();
  });
});
