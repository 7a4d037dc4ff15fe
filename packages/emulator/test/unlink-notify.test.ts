// emulator.sendUnlink: the user unlinks the app at the provider, which revokes the app's grants
// and then calls the app's webhook in the provider's wire format (Kakao: developers.kakao.com
// kakaologin/callback; Naver: naver/naver-openapi-guide ko/login/devguide/devguide.md §4.4).
import { createDecipheriv, createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_CLIENTS, startEmulator, type Emulator } from '../src';
import { BIG_ID, KAKAO, kakaoCode, kakaoExchange } from './kakao-helpers';
import { naverLogin, naverMe } from './naver-helpers';

interface Received {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let emulator: Emulator;
let app: Server;
let to: string;
let received: Received[];
let answer: number;
beforeEach(async () => {
  emulator = await startEmulator();
  received = [];
  answer = 200;
  app = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  to = `http://127.0.0.1:${(app.address() as AddressInfo).port}/auth/x/webhook`;
});
afterEach(async () => {
  app.closeAllConnections();
  await new Promise((resolve) => app.close(resolve));
  await emulator.stop();
});

const kakaoMe = (token: string) =>
  fetch(`${emulator.origin}/v2/user/me`, { headers: { Authorization: `Bearer ${token}` } });

test('Kakao: a form POST with KakaoAK <admin key>, app_id, user_id, referrer_type; tokens revoked first', async () => {
  const tokens = await kakaoExchange(emulator, await kakaoCode(emulator, { user: BIG_ID }));
  const access = tokens.body.access_token as string;
  expect((await kakaoMe(access)).status).toBe(200);

  expect(await emulator.sendUnlink('kakao', { to, user: BIG_ID })).toEqual({ status: 200 });
  expect(received).toHaveLength(1);
  const [call] = received;
  expect(call!.method).toBe('POST');
  expect(call!.url).toBe('/auth/x/webhook');
  expect(call!.headers.authorization).toBe(`KakaoAK ${KAKAO.adminKey}`);
  expect(call!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
  expect(Object.fromEntries(new URLSearchParams(call!.body))).toEqual({
    app_id: KAKAO.appId,
    user_id: BIG_ID, // the 64-bit id, digit for digit
    referrer_type: 'UNLINK_FROM_APPS',
  });
  expect((await kakaoMe(access)).status).toBe(401);

  answer = 500;
  const again = await emulator.sendUnlink('kakao', {
    to,
    user: BIG_ID,
    referrerType: 'ACCOUNT_DELETE',
  });
  expect(again.status).toBe(500);
  expect(new URLSearchParams(received[1]!.body).get('referrer_type')).toBe('ACCOUNT_DELETE');
});

test('Naver: clientId, encryptUniqueId, timestamp, signature as the guide specifies; tokens revoked first', async () => {
  const { access } = await naverLogin(emulator, { user: 'minji' });
  expect((await naverMe(emulator, access)).body.resultcode).toBe('00');
  answer = 204;

  expect(await emulator.sendUnlink('naver', { to, user: 'minji' })).toEqual({ status: 204 });
  const form = Object.fromEntries(new URLSearchParams(received[0]!.body));
  expect(Object.keys(form).sort()).toEqual([
    'clientId',
    'encryptUniqueId',
    'signature',
    'timestamp',
  ]);
  const { clientId, clientSecret } = DEFAULT_CLIENTS.naver;
  expect(form.clientId).toBe(clientId);
  expect(Math.abs(Number(form.timestamp) - Date.now() / 1000)).toBeLessThan(5);
  const key = createHash('md5').update(clientSecret).digest().subarray(0, 16);
  const base = `clientId=${clientId}&encryptUniqueId=${form.encryptUniqueId}&timestamp=${form.timestamp}`;
  expect(form.signature).toBe(createHmac('sha256', key).update(base).digest('base64url'));
  const raw = Buffer.from(form.encryptUniqueId!, 'base64url');
  const decipher = createDecipheriv('aes-128-cbc', key, raw.subarray(0, 16));
  const id = Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]).toString();
  expect(id).toBe(emulator.subject('naver', 'minji', clientId));
  expect((await naverMe(emulator, access)).body.resultcode).not.toBe('00');
});

test('an unknown account or client, or a Kakao client without an admin key, is a TypeError', async () => {
  await expect(emulator.sendUnlink('kakao', { to, user: '42' })).rejects.toThrow(TypeError);
  await expect(emulator.sendUnlink('naver', { to, user: 'nobody' })).rejects.toThrow(TypeError);
  await expect(
    emulator.sendUnlink('kakao', { to, user: BIG_ID, clientId: 'unregistered' }),
  ).rejects.toThrow(TypeError);
  emulator.registerClient({ provider: 'kakao', clientId: 'bare', clientSecret: 's' });
  await expect(
    emulator.sendUnlink('kakao', { to, user: BIG_ID, clientId: 'bare' }),
  ).rejects.toThrow(/adminKey/);
  expect(received).toHaveLength(0);
});
