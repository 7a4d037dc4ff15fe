import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SocialAuthError } from '@socialauth/core';
import { toProfile } from '../src';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8');

describe('kakao toProfile (recorded /v2/user/me responses)', () => {
  test('quirk: a 64-bit id above 2^53 keeps every digit', () => {
    const p = toProfile(fixture('user-full'));
    expect(p.id).toBe('9007199254740993');
    // Through a JavaScript number it would have become ...992.
    expect(String(JSON.parse(fixture('user-full')).id)).toBe('9007199254740992');
    expect(toProfile(fixture('user-no-email')).id).toBe('3141592653589793238');
  });

  test('every item consented, email valid and verified', () => {
    expect(toProfile(fixture('user-full'))).toMatchObject({
      provider: 'kakao',
      email: 'gildong@kakao.com',
      emailVerified: true,
      nickname: '홍길동',
      avatarUrl: 'http://k.kakaocdn.net/dn/profile_640x640.jpg',
    });
  });

  test('quirk: email verified only when is_email_valid && is_email_verified', () => {
    const p = toProfile(fixture('user-unverified-email'));
    expect(p.email).toBe('unverified@example.com');
    expect(p.emailVerified).toBe(false);
  });

  test('quirk: an account with no email at all maps without one', () => {
    const p = toProfile(fixture('user-no-email'));
    expect(p.email).toBeUndefined();
    expect(p.emailVerified).toBe(false);
    expect(p.nickname).toBe('이메일없음');
  });

  test('quirk: declined items (needs_agreement) leave only the id', () => {
    const p = toProfile(fixture('user-declined'));
    expect(p).toMatchObject({ id: '4611686018427387904', emailVerified: false });
    expect(p.nickname).toBeUndefined();
  });

  test('an "id" inside a string value is left alone', () => {
    const body = '{"id":9007199254740993,"properties":{"nickname":"say \\"id\\":5"}}';
    const p = toProfile(body);
    expect(p.id).toBe('9007199254740993');
    expect(p.nickname).toBe('say "id":5');
  });

  test('an id that already lost precision is refused, not guessed', () => {
    expect(() => toProfile({ id: 2 ** 53 + 2 })).toThrow(
      expect.objectContaining({ code: 'profile_fetch_failed' }),
    );
    expect(toProfile({ id: 42 }).id).toBe('42');
  });

  test.each(['not json', '[]', '{}', '{"id":""}'])(
    'malformed %s is profile_fetch_failed',
    (body) => {
      expect(() => toProfile(body)).toThrow(SocialAuthError);
    },
  );
});
