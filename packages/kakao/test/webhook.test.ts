// Kakao's unlink webhook (연결 끊기 웹훅, developers.kakao.com/docs/latest/ko/kakaologin/callback):
// what kakao().webhook accepts and refuses. The end-to-end path, with the emulator's real
// webhook over HTTP, is in packages/core/test/webhooks.test.ts.
import { SocialAuthError } from '@socialauth/core';
import { type WebhookRequest } from '@socialauth/core/provider';
import { kakao } from '../src';

const ADMIN_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const base = { clientId: 'rest-api-key', clientSecret: 'secret' };
const call = (
  authorization: string | undefined,
  body: Record<string, unknown> = { app_id: '1234567', user_id: '9007199254740993' },
): WebhookRequest => ({
  method: 'POST',
  headers: authorization === undefined ? {} : { authorization },
  body: { referrer_type: 'UNLINK_FROM_APPS', ...body },
  query: {},
});
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof SocialAuthError ? err.code : `not a SocialAuthError: ${String(err)}`;
  }
  return 'accepted';
};

afterEach(() => {
  delete process.env.KAKAO_ADMIN_KEY;
  delete process.env.KAKAO_APP_ID;
});

test('without an admin key there is no webhook (the route answers 404)', () => {
  expect(kakao(base).webhook).toBeUndefined();
  process.env.KAKAO_ADMIN_KEY = ADMIN_KEY;
  expect(kakao(base).webhook).toBeInstanceOf(Function);
});

test('the KakaoAK admin key proves the call; the 64-bit user_id is the subject, acknowledged 200', () => {
  const { webhook } = kakao({ ...base, adminKey: ADMIN_KEY });
  expect(webhook!(call(`KakaoAK ${ADMIN_KEY}`))).toEqual({
    event: 'unlink',
    subject: '9007199254740993',
    ackStatus: 200,
  });
  // The scheme is case-insensitive (RFC 9110 §11.1); the key is not.
  expect(webhook!(call(`kakaoak ${ADMIN_KEY}`))).toMatchObject({ subject: '9007199254740993' });
  for (const header of [
    undefined,
    '',
    'KakaoAK',
    `KakaoAK ${ADMIN_KEY.toUpperCase()}`,
    `KakaoAK ${ADMIN_KEY.slice(0, -1)}`,
    `KakaoAK ${ADMIN_KEY} extra`,
    `Bearer ${ADMIN_KEY}`,
    ADMIN_KEY,
  ]) {
    expect([header, refusal(() => webhook!(call(header)))]).toEqual([header, 'webhook_invalid']);
  }
});

test('with appId set (or KAKAO_APP_ID), a call for another app is refused', () => {
  const { webhook } = kakao({ ...base, adminKey: ADMIN_KEY, appId: '1234567' });
  const ok = `KakaoAK ${ADMIN_KEY}`;
  expect(refusal(() => webhook!(call(ok)))).toBe('accepted');
  expect(refusal(() => webhook!(call(ok, { app_id: '7654321', user_id: '1' })))).toBe(
    'webhook_invalid',
  );
  expect(refusal(() => webhook!(call(ok, { user_id: '1' })))).toBe('webhook_invalid');
  process.env.KAKAO_APP_ID = '7654321';
  expect(refusal(() => kakao({ ...base, adminKey: ADMIN_KEY }).webhook!(call(ok)))).toBe(
    'webhook_invalid',
  );
});

test('an authentic call without a usable user_id is invalid_request', () => {
  const { webhook } = kakao({ ...base, adminKey: ADMIN_KEY });
  const ok = `KakaoAK ${ADMIN_KEY}`;
  for (const user_id of [undefined, '', 'abc', ['1', '2'], 12, '1'.repeat(21)]) {
    expect(refusal(() => webhook!(call(ok, { app_id: '1234567', user_id })))).toBe(
      'invalid_request',
    );
  }
});
