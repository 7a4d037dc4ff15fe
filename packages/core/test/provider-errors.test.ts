// What a provider's refusal means (issue 21, part 3): Kakao's KOE codes and Naver's and RFC
// 6749's error codes become a typed reason on token_exchange_failed. The developer's log line
// names the provider's code, the cause and the setting to change; the user's page (Korean and
// English) says what the user can do, and never the developer's details.
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import { naver } from '@socialauth/naver';
import { consent, start, startHarness, type Harness } from '@socialauth/testkit';

let h: Harness;
beforeEach(async () => {
  h = await startHarness((emulator) => ({
    providers: [
      google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin }),
      naver({ ...DEFAULT_CLIENTS.naver, origin: emulator.origin }),
      kakao({ ...DEFAULT_CLIENTS.kakao, origin: emulator.origin }),
      // The same Kakao app with a wrong client secret, as a misconfigured deployment has it.
      {
        ...kakao({
          ...DEFAULT_CLIENTS.kakao,
          clientSecret: 'not-the-secret',
          origin: emulator.origin,
        }),
        id: 'kakao-misconfigured',
      },
    ],
  }));
});
afterEach(() => h.close());

/** A sign-in up to the callback; returns the callback's path and query, not yet delivered. */
async function callbackOf(provider: string, user?: string) {
  const agent = h.newAgent();
  return { agent, back: await consent(await start(agent, provider), { user }) };
}

/** The error page the failure lands on, in `lang`. */
async function pageOf(agent: ReturnType<Harness['newAgent']>, location: string, lang: string) {
  return agent.get(location).set('Accept-Language', lang).expect(200);
}

test('KOE010, a wrong client secret (the emulator refuses it): client_rejected, the fix in the log', async () => {
  const { agent, back } = await callbackOf('kakao-misconfigured');
  const res = await agent.get(back).set('Accept', 'text/html');
  expect(res.status).toBe(302);
  const target = new URL(res.headers.location as string, h.baseURL);
  expect(target.searchParams.get('error')).toBe('token_exchange_failed');
  expect(target.searchParams.get('reason')).toBe('client_rejected');
  const log = h.logs.find((l) => l.includes('token_exchange_failed'));
  expect(log).toContain('KOE010');
  expect(log).toContain('클라이언트 시크릿');
  expect(log).not.toContain('not-the-secret');
  const ko = await pageOf(agent, target.pathname + target.search, 'ko');
  expect(ko.text).toContain('이 사이트의 로그인 설정에 문제가 있어 다시 시도해도 해결되지 않아요');
  expect(ko.text).not.toContain('KOE010');
  const en = await pageOf(agent, target.pathname + target.search, 'en');
  expect(en.text).toContain('sign-in with the provider is not set up correctly');
  expect(en.text).not.toContain('Please try again'); // it would not help
});

test('KOE320, a code used already (taken before the app could): code_used, sign in again', async () => {
  const { agent, back } = await callbackOf('kakao');
  // Someone else redeems the code first (a second tab, a replay): the emulator burns it.
  const code = new URL(back, h.baseURL).searchParams.get('code')!;
  const stolen = await fetch(`${h.emulator.origin}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: DEFAULT_CLIENTS.kakao.clientId,
      client_secret: DEFAULT_CLIENTS.kakao.clientSecret,
      redirect_uri: `${h.baseURL}/auth/kakao/callback`,
      code,
      code_verifier: 'a'.repeat(43),
    }),
  });
  expect(((await stolen.json()) as { error_code?: string }).error_code).toBe('KOE320');
  const res = await agent.get(back).set('Accept', 'application/json');
  expect(res.status).toBe(502);
  expect(res.body.error).toMatchObject({ code: 'token_exchange_failed', reason: 'code_used' });
  expect(h.logs.find((l) => l.includes('KOE320'))).toContain('delivered twice');
});

test('KOE303 and KOE101 (faults: this app always sends the same redirect_uri and client id)', async () => {
  const koe = (code: string, status: number, error: string) =>
    h.emulator.failNext('kakao', 'token', {
      kind: 'status',
      status,
      contentType: 'application/json',
      body: JSON.stringify({ error, error_description: 'refused', error_code: code }),
    });
  koe('KOE303', 400, 'invalid_grant');
  let { agent, back } = await callbackOf('kakao');
  let res = await agent.get(back).set('Accept', 'application/json');
  expect(res.body.error.reason).toBe('redirect_mismatch');
  expect(h.logs.some((l) => l.includes('KOE303') && l.includes('baseURL'))).toBe(true);
  koe('KOE101', 401, 'invalid_client');
  ({ agent, back } = await callbackOf('kakao'));
  res = await agent.get(back).set('Accept', 'application/json');
  expect(res.body.error.reason).toBe('client_rejected');
  expect(h.logs.some((l) => l.includes('KOE101') && l.includes('REST API key'))).toBe(true);
});

test("Naver's 200 errors: unauthorized_client is a used code, server_error the provider's trouble", async () => {
  h.emulator.failNext('naver', 'token', {
    kind: 'error-200',
    body: { error: 'unauthorized_client', error_description: 'unauthorized code' },
  });
  let { agent, back } = await callbackOf('naver', 'minji');
  let res = await agent.get(back).set('Accept', 'application/json');
  expect(res.body.error).toMatchObject({ code: 'token_exchange_failed', reason: 'code_used' });
  h.emulator.failNext('naver', 'token', {
    kind: 'error-200',
    body: { error: 'server_error', error_description: 'Internal Server Error' },
  });
  ({ agent, back } = await callbackOf('naver', 'minji'));
  res = await agent.get(back).set('Accept', 'text/html');
  const target = new URL(res.headers.location as string, h.baseURL);
  expect(target.searchParams.get('reason')).toBe('provider_down');
  const page = await pageOf(agent, target.pathname + target.search, 'ko');
  expect(page.text).toContain('로그인 서비스에 문제가 있어요. 잠시 후 다시 시도해 주세요.');
});

test("RFC 6749 §5.2 for the rest: Google's invalid_grant and a 503", async () => {
  h.emulator.failNext('google', 'token', {
    kind: 'oauth-error',
    status: 400,
    error: 'invalid_grant',
  });
  let { agent, back } = await callbackOf('google');
  let res = await agent.get(back).set('Accept', 'application/json');
  expect(res.body.error.reason).toBe('code_used');
  h.emulator.failNext('google', 'token', {
    kind: 'status',
    status: 503,
    body: 'Service Unavailable',
  });
  ({ agent, back } = await callbackOf('google'));
  res = await agent.get(back).set('Accept', 'application/json');
  expect(res.body.error).toMatchObject({ code: 'token_exchange_failed', reason: 'provider_down' });
});
