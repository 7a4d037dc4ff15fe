// A provider outage (issue 21, part 4): after a few sign-ins in a row time out at the provider,
// its sign-ins answer at once with provider_unavailable (a page with the other providers) instead
// of each waiting for the timeout, refreshes fail fast too, it is probed again after the pause,
// and it recovers by itself; onError hears each change once. Driven by the emulator's faults.
// The figures (time to the first fast answer, answers during the outage, time to recover) are
// written to test-output/outage.json, and nothing here asserts a time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { google } from '@socialauth/google';
import { kakao } from '@socialauth/kakao';
import { advanceClock, consent, start, startHarness, type Harness } from '@socialauth/testkit';
import type { SocialAuthConfig } from '../src';

const GOOGLE = DEFAULT_CLIENTS.google;
let h: Harness;
let app: express.Express;
const changes: string[] = [];

async function setUp(extra: Partial<SocialAuthConfig>) {
  changes.length = 0;
  app = express();
  h = await startHarness(
    (emulator) => ({
      providers: [
        google({ ...GOOGLE, origin: emulator.origin, accessType: 'offline' }),
        kakao({ ...DEFAULT_CLIENTS.kakao, origin: emulator.origin }),
      ],
      hooks: {
        onError: (err, ctx) => {
          if (err.code === 'provider_unavailable') changes.push(`${ctx.provider}:${err.reason}`);
        },
      },
      ...extra,
    }),
    app,
  );
}
afterEach(async () => {
  jest.useRealTimers();
  await h.close();
});

/** A whole Google sign-in as a browser; the callback's answer and how long it took. */
async function signIn(agent = h.newAgent()) {
  const back = await consent(await start(agent, 'google'));
  const began = performance.now();
  const res = await agent.get(back).set('Accept', 'application/json');
  return { res, ms: performance.now() - began };
}

const startJson = async () => {
  const began = performance.now();
  const res = await h.newAgent().get('/auth/google').set('Accept', 'application/json');
  return {
    status: res.status,
    code: res.body.error?.code as string | undefined,
    ms: performance.now() - began,
  };
};

test('timeouts open it: fast answers with the other providers, a probe after the pause, recovery', async () => {
  const timeoutMs = 800;
  const pauseMs = 1500;
  await setUp({ providerTimeout: timeoutMs, outage: { failures: 3, pauseMs } });
  const outageBegan = performance.now();
  for (let i = 0; i < 3; i++) {
    h.emulator.failNext('google', 'token', { kind: 'delay', ms: timeoutMs * 3 });
  }
  const slow = [];
  for (let i = 0; i < 3; i++) slow.push(await signIn());
  for (const { res } of slow) {
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('token_exchange_failed');
  }
  expect(changes).toEqual(['google:down']);

  // Down: every start answers at once, without a request to Google.
  const tokenCalls = h.emulator.count('google', 'token');
  const authorizeCalls = h.emulator.count('google', 'authorize');
  const first = await startJson();
  const firstFastAt = performance.now() - outageBegan;
  const during = [first];
  for (let i = 0; i < 20; i++) during.push(await startJson());
  for (const answer of during) {
    expect(answer).toMatchObject({ status: 503, code: 'provider_unavailable' });
  }
  expect(h.emulator.count('google', 'token')).toBe(tokenCalls);
  expect(h.emulator.count('google', 'authorize')).toBe(authorizeCalls);
  // A browser lands on the error page, which offers the provider that is up.
  const page = await h
    .newAgent()
    .get('/auth/google')
    .set('Accept', 'text/html')
    .set('Accept-Language', 'ko')
    .expect(503);
  expect(page.headers['retry-after']).toBe('5');
  expect(page.text).toContain('지금은 이 방법으로 로그인할 수 없어요');
  expect(page.text).toContain('href="/auth/kakao"');
  expect(page.text).not.toContain('href="/auth/google"');
  // Kakao is not affected.
  await h.newAgent().get('/auth/kakao').expect(302);

  // After the pause the next sign-in goes through (Google answers again): recovered.
  const downAt = performance.now();
  let recovered: Awaited<ReturnType<typeof signIn>> | undefined;
  for (let tries = 0; tries < 200 && !recovered; tries++) {
    const probe = await startJson();
    if (probe.status === 200) recovered = await signIn();
    else await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(recovered?.res.status).toBe(302);
  const recoveredAfter = performance.now() - downAt;
  expect(changes).toEqual(['google:down', 'google:recovered']);

  const sorted = during.map((d) => d.ms).sort((a, b) => a - b);
  const figures = {
    providerTimeoutMs: timeoutMs,
    pauseMs,
    failuresToOpen: 3,
    slowCallbacksMs: slow.map((s) => Math.round(s.ms)),
    firstFastAnswerAfterMs: Math.round(firstFastAt),
    answersDuringOutage: during.length,
    duringOutageP50Ms: Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(1)),
    duringOutageMaxMs: Number(sorted[sorted.length - 1]!.toFixed(1)),
    recoveredAfterDownMs: Math.round(recoveredAfter),
  };
  const dir = join(__dirname, '..', '..', '..', 'test-output');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'outage.json'), `${JSON.stringify(figures, null, 2)}\n`);
});

test('refreshes fail fast while it is down, and a 4xx answer never opens it', async () => {
  await setUp({ outage: { failures: 2, pauseMs: 24 * 3600_000 } });
  app.get('/api/token', async (req, res) => {
    try {
      res.json({ token: (await req.socialAuth.accessToken('google')).length > 0 });
    } catch (err) {
      res.status(503).json({ code: (err as { code?: string }).code });
    }
  });
  const agent = h.newAgent();
  const back = await consent(await start(agent, 'google'));
  await agent.get(back).expect(302);
  // An hour later the access token has expired: every call refreshes it.
  advanceClock(2 * 3600_000);
  h.emulator.failNext('google', 'token', {
    kind: 'oauth-error',
    status: 400,
    error: 'invalid_request',
  });
  expect((await agent.get('/api/token')).body.code).toBe('refresh_failed');
  expect(changes).toEqual([]); // Google answered: not an outage
  for (let i = 0; i < 2; i++) {
    h.emulator.failNext('google', 'token', { kind: 'status', status: 503, body: 'unavailable' });
    expect((await agent.get('/api/token')).body.code).toBe('refresh_failed');
  }
  expect(changes).toEqual(['google:down']);
  const calls = h.emulator.count('google', 'token');
  expect((await agent.get('/api/token')).body.code).toBe('provider_unavailable');
  expect(h.emulator.count('google', 'token')).toBe(calls); // not asked at all
});
