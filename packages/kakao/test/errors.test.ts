// Kakao's KOE codes (kakaologin/trouble-shooting) as reasons, each with its fix for the log; the
// ones the token endpoint sends are also driven end to end in core/test/provider-errors.test.ts.
import { describeTokenError } from '../src/errors';

test.each([
  ['KOE006', 'redirect_mismatch', '리다이렉트|redirect URIs'],
  ['KOE010', 'client_rejected', '클라이언트 시크릿'],
  ['KOE101', 'client_rejected', 'REST API key'],
  ['KOE205', 'scope_not_configured', '동의항목'],
  ['KOE303', 'redirect_mismatch', 'baseURL'],
  ['KOE320', 'code_used', 'delivered twice'],
])('%s is %s, and the log line says how to fix it', (code, reason, fix) => {
  const read = describeTokenError(400, { error: 'invalid_grant', error_code: code });
  expect(read?.reason).toBe(reason);
  expect(read?.message).toMatch(new RegExp(fix));
  expect(read?.message).toContain(code);
});

test('an unknown or missing KOE code is left to core (RFC 6749 §5.2)', () => {
  expect(describeTokenError(400, { error: 'invalid_grant', error_code: 'KOE999' })).toBeUndefined();
  expect(describeTokenError(400, { error: 'invalid_grant' })).toBeUndefined();
  expect(describeTokenError(400, { error_code: 42 })).toBeUndefined();
});
