import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SocialAuthError } from '@socialauth/core';
import { toProfile } from '../src';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8');

describe('naver toProfile (recorded /v1/nid/me responses)', () => {
  test('every item consented', () => {
    expect(toProfile(fixture('profile-full'))).toMatchObject({
      provider: 'naver',
      id: '32742776',
      email: 'openapi@naver.com',
      name: '오픈 API',
      nickname: 'OpenAPI',
      avatarUrl: 'https://ssl.pstatic.net/static/pwe/address/nodata_33x33.gif',
    });
  });

  test('quirk: the email is a contact address, never verified', () => {
    expect(toProfile(fixture('profile-full')).emailVerified).toBe(false);
  });

  test('quirk: declined items are simply missing; the per-app base64 id stays a string', () => {
    const p = toProfile(fixture('profile-declined'));
    expect(p.id).toBe('5OjsDx9a-Nh0Fi1kRsjYnTBpM4m1mx4ZGnHpjY5Rs3c');
    expect(p.email).toBeUndefined();
    expect(p.name).toBeUndefined();
    expect(p.avatarUrl).toBeUndefined();
  });

  test('quirk: resultcode other than "00" is profile_fetch_failed with Naver\'s message', () => {
    expect(() => toProfile(fixture('profile-error-024'))).toThrow(
      expect.objectContaining({
        code: 'profile_fetch_failed',
        message: 'Naver answered 024: Authentication failed',
      }),
    );
  });

  test.each([
    'not json',
    '[]',
    '{"resultcode":"00","message":"success"}',
    '{"resultcode":"00","response":{"id":7}}',
  ])('malformed %s is profile_fetch_failed', (body) => {
    expect(() => toProfile(body)).toThrow(SocialAuthError);
  });
});
