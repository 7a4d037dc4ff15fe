import { DEFAULT_CLIENTS, DEFAULT_USERS } from '@socialauth/emulator';
import { startExample } from '../src/example';

// The example's provider-API page shows what the profile API answered. Kakao's user ids are
// 64-bit integers sent as bare JSON numbers: above 2^53 a JavaScript number rounds them, so the
// page would show another user's id. Over real HTTP: the emulator's Kakao, the example app.
type Example = Awaited<ReturnType<typeof startExample>>;
let example: Example;

beforeAll(async () => {
  for (const p of ['GOOGLE', 'NAVER', 'KAKAO']) delete process.env[`${p}_CLIENT_ID`];
  example = await startExample({ port: 0, log: () => {} });
}, 30_000);
afterAll(() => example?.stop());

/** Signs in with the Kakao SDK's access token and returns the session as a bearer token. */
async function kakaoSession(user: string): Promise<string> {
  const accessToken = example.emulator!.appAccessToken('kakao', {
    user,
    clientId: DEFAULT_CLIENTS.kakao.clientId,
  });
  const res = await fetch(`${example.url}/auth/kakao/token`, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify({ accessToken, session: 'token' }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { sessionToken: string }).sessionToken;
}

test('the provider-API page shows a Kakao id above 2^53 digit for digit', async () => {
  const id = DEFAULT_USERS.kakao[0]!.id;
  expect(id).toBe('9007199254740993'); // 2^53 + 1: as a JavaScript number, ...992
  const bearer = await kakaoSession(id);
  const res = await fetch(`${example.url}/api-check`, {
    headers: { Authorization: `Bearer ${bearer}` },
  });
  expect(res.status).toBe(200);
  const page = await res.text();
  const row = /<tr><th>id<\/th><td>([^<]*)<\/td><\/tr>/.exec(page)?.[1];
  // Masked as on the Connections page, from the exact digits.
  expect(row).toBe('900•••993');
});
