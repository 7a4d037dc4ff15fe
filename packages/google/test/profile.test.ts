import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SocialAuthError } from '@socialauth/core';
import { google, toProfile } from '../src';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8');

describe('google toProfile (recorded userinfo responses)', () => {
  test('consumer account', () => {
    expect(toProfile(fixture('userinfo-consumer'))).toEqual({
      provider: 'google',
      id: '110169484474386276334',
      email: 'alice.kim@gmail.com',
      emailVerified: true,
      name: 'Alice Kim',
      avatarUrl: 'https://lh3.googleusercontent.com/a/ACg8ocJ-example=s96-c',
      raw: JSON.parse(fixture('userinfo-consumer')),
    });
  });

  test('parsed JSON and body text map alike', () => {
    const text = fixture('userinfo-workspace');
    expect(toProfile(JSON.parse(text))).toEqual(toProfile(text));
  });

  test('an unverified email is kept but not trusted', () => {
    const p = toProfile(fixture('userinfo-unverified'));
    expect(p.email).toBe('chris@example.net');
    expect(p.emailVerified).toBe(false);
  });

  test('openid scope only: just the subject', () => {
    const p = toProfile(fixture('userinfo-openid-only'));
    expect(p).toMatchObject({ id: '104834925480000000004', emailVerified: false });
    expect(p.email).toBeUndefined();
    expect(p.name).toBeUndefined();
  });

  test.each([['null'], ['"text"'], ['{}'], ['{"sub": 12}'], ['not json']])(
    'a malformed profile (%s) is profile_fetch_failed',
    (body) => {
      let err: unknown;
      try {
        toProfile(body);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SocialAuthError);
      expect((err as SocialAuthError).code).toBe('profile_fetch_failed');
    },
  );

  test('hostedDomain is enforced on the hd claim, not just hinted', () => {
    const plugin = google({ clientId: 'id', clientSecret: 'secret', hostedDomain: 'example.org' });
    expect(plugin.toProfile(fixture('userinfo-workspace')).id).toBe('104834925480000000002');
    expect(() => plugin.toProfile(fixture('userinfo-consumer'))).toThrow(
      expect.objectContaining({ code: 'access_denied' }),
    );
  });
});

describe('google endpoints', () => {
  test("an origin override swaps the host and keeps Google's paths and issuers", () => {
    const plugin = google({ clientId: 'id', clientSecret: 's', origin: 'http://127.0.0.1:4000/' });
    expect(plugin.idToken).toMatchObject({
      issuers: ['https://accounts.google.com', 'accounts.google.com'],
      jwksURL: 'http://127.0.0.1:4000/oauth2/v3/certs',
      clientId: 'id',
    });
  });

  test('by default both issuer spellings are accepted', () => {
    const plugin = google({ clientId: 'id', clientSecret: 's' });
    expect(plugin.idToken?.issuers).toEqual(['https://accounts.google.com', 'accounts.google.com']);
    expect(plugin.idToken?.jwksURL).toBe('https://www.googleapis.com/oauth2/v3/certs');
  });
});
