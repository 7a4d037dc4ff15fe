// packages/core/openapi.yaml describes every route under /auth. This test holds the document to
// the OpenAPI 3.1 schema, then drives real requests (real emulator, real sign-ins) at each JSON
// route and validates every response against the document's entry for that route and status: a
// status, body or header the document does not describe fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import type supertest from 'supertest';
import { parse } from 'yaml';
import { ERROR_CODES, memoryAccounts } from '../src';
import {
  USERS,
  connect,
  signInAs,
  startAccountsHarness,
  type AccountsHarness,
  consent,
  csrfToken,
  startHarness,
} from '@socialauth/testkit';

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, Json>;
}

const doc = parse(readFileSync(join(__dirname, '..', 'openapi.yaml'), 'utf8')) as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, Json>; headers: Record<string, Json> } & Json;
};
const DOC_ID = 'https://socialauth.invalid/openapi.yaml';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const JSON_TYPE = 'application/json';

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc, DOC_ID);

/** A `#/components/...` reference's target. */
function deref<T>(node: T): T {
  const ref = (node as { $ref?: string }).$ref;
  if (!ref) return node;
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>(
      (at, key) => (at as Json)[key.replace(/~1/g, '/').replace(/~0/g, '~')],
      doc,
    ) as T;
}

const pointer = (...keys: string[]) =>
  keys.map((k) => k.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** The document's response for this route and status, with the JSON pointer to it. */
function documented(method: string, path: string, status: number) {
  const operation = doc.paths[path]?.[method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${path} is not in openapi.yaml`);
  const key = [String(status), `${String(status)[0]}XX`].find((k) => k in operation.responses);
  if (!key) {
    throw new Error(`${method.toUpperCase()} ${path} answered ${status}, not in openapi.yaml`);
  }
  const raw = operation.responses[key]!;
  const ref = (raw as { $ref?: string }).$ref;
  const at = ref ? ref.slice(1) : `/${pointer('paths', path, method, 'responses', key)}`;
  return { response: deref(raw), at };
}

const seen = new Set<string>();

/** Fails unless the document describes this response: status, headers, content type and body. */
function check(res: supertest.Response, method: 'get' | 'post', path: string): void {
  const { response, at } = documented(method, path, res.status);
  seen.add(`${method} ${path} ${res.status}`);
  const headers = (response.headers ?? {}) as Record<string, Json>;
  for (const [name, spec] of Object.entries(headers)) {
    const value = res.headers[name.toLowerCase()] as string | undefined;
    const label = `${method.toUpperCase()} ${path} ${res.status} header ${name}`;
    expect({ [label]: value }).toEqual({ [label]: expect.any(String) });
    const schema = deref(spec).schema as Json;
    expect({ [label]: ajv.validate(schema, value) }).toEqual({ [label]: true });
  }
  const content = response.content as Record<string, Json> | undefined;
  if (res.status === 204) expect(res.text ?? '').toBe('');
  if (!content || res.status < 200 || (res.status >= 300 && res.status < 400)) return;
  const type = String(res.headers['content-type'] ?? '').split(';')[0]!;
  expect(Object.keys(content)).toContain(type);
  if (type !== JSON_TYPE) return;
  const validate = ajv.getSchema(`${DOC_ID}#${at}/${pointer('content', JSON_TYPE, 'schema')}`);
  if (!validate) throw new Error(`no schema at ${at}`);
  const valid = validate(res.body);
  expect({ [`${method} ${path} ${res.status}`]: valid ? [] : validate.errors }).toEqual({
    [`${method} ${path} ${res.status}`]: [],
  });
  const code = (res.body as { error?: { code?: keyof typeof ERROR_CODES } }).error?.code;
  // An error's status is its code's status, whichever route answers it.
  if (code) expect(`${code} ${res.status}`).toBe(`${code} ${ERROR_CODES[code].status}`);
}

describe('openapi.yaml, the document', () => {
  test('is a valid OpenAPI 3.1 document', () => {
    const schemaPath =
      require.resolve('@seriousme/openapi-schema-validator/schemas/v3.1/schema.json');
    const validator = new Ajv2020({ strict: false, allErrors: true });
    addFormats(validator);
    // The schema names content-type keys `media-range`, a format ajv-formats does not define.
    validator.addFormat('media-range', true);
    const validate = validator.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
  });

  test('every $ref resolves, and every response schema compiles', () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref' && typeof v === 'string') refs.push(v);
          else walk(v);
        }
      }
    };
    walk(doc);
    for (const ref of new Set(refs)) {
      expect(ref).toMatch(/^#\/components\//);
      expect({ [ref]: deref({ $ref: ref }) }).toEqual({ [ref]: expect.anything() });
    }
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of METHODS.filter((m) => m in item)) {
        for (const status of Object.keys(item[method]!.responses)) {
          const { response, at } = documented(method, path, Number(status.replace('XX', '00')));
          const content = (response.content ?? {}) as Record<string, Json>;
          if (!content[JSON_TYPE]) continue;
          const id = `${DOC_ID}#${at}/${pointer('content', JSON_TYPE, 'schema')}`;
          expect({ [id]: typeof ajv.getSchema(id) }).toEqual({ [id]: 'function' });
        }
      }
    }
  });

  test('lists exactly the error codes of ERROR_CODES', () => {
    const schemas = doc.components.schemas as Record<string, { enum: string[] }>;
    expect([...schemas.ErrorCode!.enum].sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });
});

describe('openapi.yaml against the real routes', () => {
  let h: AccountsHarness;
  beforeAll(async () => {
    // kakao() reads its webhook's admin key from the environment when it is built.
    process.env.KAKAO_ADMIN_KEY = DEFAULT_CLIENTS.kakao.adminKey;
    process.env.KAKAO_APP_ID = DEFAULT_CLIENTS.kakao.appId;
    h = await startAccountsHarness(memoryAccounts());
  });
  afterAll(async () => {
    delete process.env.KAKAO_ADMIN_KEY;
    delete process.env.KAKAO_APP_ID;
    await h.close();
  });

  const json = (req: supertest.Test) => req.set('Accept', JSON_TYPE);
  const html = (req: supertest.Test) => req.set('Accept', 'text/html');

  test('anonymous: providers, session, sessions, csrf', async () => {
    const agent = h.newAgent();
    check(await json(agent.get('/auth/providers')), 'get', '/auth/providers');
    check(await json(agent.get('/auth/session')), 'get', '/auth/session');
    check(await json(agent.get('/auth/sessions')), 'get', '/auth/sessions');
    check(await json(agent.get('/auth/csrf')), 'get', '/auth/csrf');
    check(await json(agent.get('/auth/error?error=access_denied')), 'get', '/auth/error');
    expect(seen).toEqual(
      new Set([
        'get /auth/providers 200',
        'get /auth/session 401',
        'get /auth/sessions 401',
        'get /auth/csrf 200',
        'get /auth/error 200',
      ]),
    );
  });

  test('start and callback, as JSON and as a browser', async () => {
    const agent = h.newAgent();
    const started = await json(agent.get('/auth/google?next=/home'));
    check(started, 'get', '/auth/{provider}');
    expect(started.status).toBe(200);
    check(await html(agent.get('/auth/google')), 'get', '/auth/{provider}');
    check(await json(agent.get('/auth/google?code=x')), 'get', '/auth/{provider}');
    check(await json(agent.get('/auth/myspace')), 'get', '/auth/{provider}');
    check(await html(agent.get('/auth/myspace')), 'get', '/auth/{provider}');

    const cb = '/auth/{provider}/callback';
    check(await json(agent.get('/auth/google/callback?code=x&state=y')), 'get', cb);
    check(await json(agent.get('/auth/myspace/callback?code=x&state=y')), 'get', cb);
    const noCode = new URL(started.body.redirectUrl as string).searchParams.get('state');
    check(await json(agent.get(`/auth/google/callback?state=${noCode}`)), 'get', cb);
    const denied = await json(agent.get('/auth/google'));
    const back = await consent(new URL(denied.body.redirectUrl as string), { deny: true });
    check(await json(agent.get(back)), 'get', cb);

    h.emulator.failNext('google', 'token', { kind: 'status', status: 500, body: 'down' });
    const failing = await json(agent.get('/auth/google'));
    const failed = await json(agent.get(await consent(new URL(failing.body.redirectUrl))));
    expect(failed.status).toBe(502);
    check(failed, 'get', cb);

    const ok = await json(agent.get('/auth/google'));
    const done = await html(agent.get(await consent(new URL(ok.body.redirectUrl))));
    expect(done.status).toBe(302);
    check(done, 'get', cb);
    check(await json(agent.get('/auth/session')), 'get', '/auth/session');
    check(await json(agent.get('/auth/sessions')), 'get', '/auth/sessions');
  });

  test('connect, disconnect, and a connect of an identity someone else owns', async () => {
    const owner = h.newAgent();
    await signInAs(h, 'kakao', USERS.kakao[2]!.id, owner); // owns this Kakao identity
    const agent = h.newAgent();
    await signInAs(h, 'google', USERS.google[1]!.sub, agent);
    const token = await csrfToken(agent);
    const path = '/auth/{provider}/connect';
    check(await json(h.newAgent().post('/auth/naver/connect')), 'post', path);
    check(await json(agent.post('/auth/naver/connect')), 'post', path);
    check(await json(agent.post('/auth/myspace/connect')), 'post', path);
    check(await html(agent.post('/auth/naver/connect').set('X-CSRF-Token', token)), 'post', path);
    const started = await json(agent.post('/auth/kakao/connect').set('X-CSRF-Token', token));
    check(started, 'post', path);
    const back = await consent(new URL(started.body.redirectUrl as string), {
      user: USERS.kakao[2]!.id,
    });
    const taken = await json(agent.get(back));
    expect(taken.status).toBe(409);
    check(taken, 'get', '/auth/{provider}/callback');

    const off = '/auth/{provider}/disconnect';
    const disconnect = (provider: string) =>
      json(agent.post(`/auth/${provider}/disconnect`).set('X-CSRF-Token', token));
    check(await json(agent.post('/auth/google/disconnect')), 'post', off);
    check(await json(h.newAgent().post('/auth/google/disconnect')), 'post', off);
    check(await disconnect('naver'), 'post', off); // none linked there
    check(await disconnect('google'), 'post', off); // the last identity
    expect((await connect(h, 'naver', 'minji', agent)).status).toBe(302);
    const removed = await disconnect('naver');
    expect(removed.status).toBe(200);
    check(removed, 'post', off);
    check(
      await html(agent.post('/auth/google/disconnect').set('X-CSRF-Token', token)),
      'post',
      off,
    );
  });

  test('the pending link, read and confirmed', async () => {
    await signInAs(h, 'google', USERS.google[0]!.sub, h.newAgent()); // the account's owner
    const agent = h.newAgent();
    check(await json(agent.get('/auth/link')), 'get', '/auth/link');
    expect(await signInAs(h, 'naver', 'minji', agent)).toBe('/auth/link');
    const pending = await json(agent.get('/auth/link'));
    check(pending, 'get', '/auth/link');
    check(await html(agent.get('/auth/link')), 'get', '/auth/link');
    check(await json(agent.post('/auth/link')), 'post', '/auth/link'); // signed out

    const id = pending.body.pendingLink.id as string;
    const started = await json(agent.get(`/auth/google?link=${id}&next=/auth/link`));
    const back = await consent(new URL(started.body.redirectUrl as string), {
      user: USERS.google[0]!.sub,
    });
    check(await html(agent.get(back)), 'get', '/auth/{provider}/callback');
    const owner = await json(agent.get('/auth/link'));
    expect(owner.body.pendingLink.canConfirm).toBe(true);
    check(owner, 'get', '/auth/link');
    check(await json(agent.post('/auth/link')), 'post', '/auth/link'); // no CSRF token
    const confirmed = await json(
      agent
        .post('/auth/link')
        .set('X-CSRF-Token', await csrfToken(agent))
        .send({ action: 'confirm' }),
    );
    expect(confirmed.status).toBe(200);
    check(confirmed, 'post', '/auth/link');
    check(
      await html(agent.post('/auth/link').set('X-CSRF-Token', await csrfToken(agent))),
      'post',
      '/auth/link',
    );
  });

  test('logout, logout everywhere, a malformed body', async () => {
    const agent = h.newAgent();
    await signInAs(h, 'google', USERS.google[1]!.sub, agent);
    const token = await csrfToken(agent);
    check(await json(agent.post('/auth/logout')), 'post', '/auth/logout');
    const malformed = await json(
      agent
        .post('/auth/logout')
        .set('X-CSRF-Token', token)
        .set('Content-Type', JSON_TYPE)
        .send('{"_csrf":'),
    );
    expect(malformed.status).toBe(400);
    check(malformed, 'post', '/auth/logout');
    check(
      await json(agent.post('/auth/logout/everywhere').set('X-CSRF-Token', token)),
      'post',
      '/auth/logout/everywhere',
    );
    check(await json(agent.post('/auth/logout/everywhere')), 'post', '/auth/logout/everywhere');

    const other = h.newAgent();
    await signInAs(h, 'google', USERS.google[1]!.sub, other);
    check(await json(other.post('/auth/logout/everywhere')), 'post', '/auth/logout/everywhere');
    check(
      await json(other.post('/auth/logout').set('X-CSRF-Token', await csrfToken(other))),
      'post',
      '/auth/logout',
    );
    const third = h.newAgent();
    await signInAs(h, 'google', USERS.google[1]!.sub, third);
    check(
      await html(third.post('/auth/logout').set('X-CSRF-Token', await csrfToken(third))),
      'post',
      '/auth/logout',
    );
  });

  test('the store down: 503 with Retry-After, as documented', async () => {
    const agent = h.newAgent();
    await signInAs(h, 'google', USERS.google[1]!.sub, agent);
    const get = h.store.get.bind(h.store);
    h.store.get = (_sid, callback) => callback(new Error('store down'));
    try {
      check(await json(agent.get('/auth/session')), 'get', '/auth/session');
      check(await json(agent.get('/auth/google')), 'get', '/auth/{provider}');
    } finally {
      h.store.get = get;
    }
    expect(seen).toContain('get /auth/session 503');
    expect(seen).toContain('get /auth/{provider} 503');
  });

  test('the webhook refuses what does not come from the provider, in JSON', async () => {
    const path = '/auth/{provider}/webhook';
    const agent = h.newAgent();
    check(await json(agent.post('/auth/google/webhook').send({})), 'post', path);
    check(await json(agent.post('/auth/kakao/webhook').send({ user_id: '1' })), 'post', path);
    check(await json(agent.post('/auth/naver/webhook').type('form').send('a=1')), 'post', path);
    check(
      await json(agent.post('/auth/kakao/webhook').set('Content-Type', JSON_TYPE).send('{"a":')),
      'post',
      path,
    );
    // Kakao's unlink, with its admin key, for a user never seen here: acknowledged all the same.
    const acked = await json(
      agent
        .post('/auth/kakao/webhook')
        .set('Authorization', `KakaoAK ${DEFAULT_CLIENTS.kakao.adminKey}`)
        .type('form')
        .send({
          app_id: DEFAULT_CLIENTS.kakao.appId,
          user_id: '1234',
          referrer_type: 'UNLINK_FROM_APPS',
        }),
    );
    expect(acked.status).toBe(200);
    check(acked, 'post', path);
  });

  test('token sign-in: an ID token for this app or another, a form post, no support', async () => {
    const path = '/auth/{provider}/token';
    const user = USERS.google[0]!.sub;
    const token = (clientId: string) => h.emulator.appIdToken('google', { user, clientId });
    const agent = h.newAgent();
    const post = (provider: string) => json(agent.post(`/auth/${provider}/token`));
    check(await post('google').send({ idToken: await token('other-app') }), 'post', path);
    check(await post('google').type('form').send({ idToken: 'x' }), 'post', path);
    check(await post('kakao').send({ idToken: 'x' }), 'post', path);
    const ok = await post('google').send({
      idToken: await token(DEFAULT_CLIENTS.google.clientId),
    });
    expect(ok.status).toBe(200);
    check(ok, 'post', path);
  });

  test('One Tap: the nonce, then the login_uri by JSON (a failed double-submit, then signed in)', async () => {
    const path = '/auth/{provider}/one-tap';
    const agent = h.newAgent();
    const start = await json(agent.get('/auth/google/one-tap?next=/x'));
    expect(start.status).toBe(200);
    check(start, 'get', path);
    const credential = await h.emulator.appIdToken('google', {
      user: USERS.google[0]!.sub,
      clientId: DEFAULT_CLIENTS.google.clientId,
      nonce: (start.body as { nonce: string }).nonce,
    });
    const refused = await json(agent.post('/auth/google/one-tap')).send({
      credential,
      g_csrf_token: 'x',
    });
    expect(refused.status).toBe(403);
    check(refused, 'post', path);
    // The GIS library's cookie, as a page of this site would have it.
    (
      agent as unknown as { jar: { setCookie(cookie: string, domain: string, path: string): void } }
    ).jar.setCookie('g_csrf_token=x', new URL(h.baseURL).hostname, '/');
    const ok = await json(agent.post('/auth/google/one-tap')).send({
      credential,
      g_csrf_token: 'x',
    });
    expect(ok.status).toBe(200);
    check(ok, 'post', path);
    check(await json(agent.get('/auth/kakao/one-tap')), 'get', path);
  });

  test('ending one session: another one (200 with the rest), refusals, the current one (204)', async () => {
    const path = '/auth/sessions/end';
    const one = h.newAgent();
    const two = h.newAgent();
    await signInAs(h, 'google', USERS.google[0]!.sub, one);
    await signInAs(h, 'google', USERS.google[0]!.sub, two);
    const sessions = (await json(one.get('/auth/sessions'))).body.sessions as {
      id: string;
      current: boolean;
    }[];
    const post = async (session: unknown, csrf = true) => {
      const req = json(one.post(path));
      if (csrf) req.set('X-CSRF-Token', await csrfToken(one));
      return req.send({ session });
    };
    check(await post('x', false), 'post', path);
    check(await post('not-a-handle'), 'post', path);
    check(await post(undefined), 'post', path);
    const ended = await post(sessions.find((s) => !s.current)!.id);
    expect(ended.status).toBe(200);
    check(ended, 'post', path);
    const current = await post(sessions.find((s) => s.current)!.id);
    expect(current.status).toBe(204);
    check(current, 'post', path);
    check(await json(h.newAgent().post(path)).send({ session: 'x' }), 'post', path);
  });

  test('the account export, and anonymous', async () => {
    const agent = h.newAgent();
    await signInAs(h, 'google', USERS.google[0]!.sub, agent);
    const res = await json(agent.get('/auth/account/export'));
    expect(res.status).toBe(200);
    check(res, 'get', '/auth/account/export');
    check(await json(h.newAgent().get('/auth/account/export')), 'get', '/auth/account/export');
  });

  test('the account deletion: refused without CSRF, then done', async () => {
    const agent = h.newAgent();
    await signInAs(h, 'google', USERS.google[0]!.sub, agent);
    const path = '/auth/account/delete';
    check(await json(agent.post(path)), 'post', path);
    const token = await csrfToken(agent);
    const res = await json(agent.post(path).set('X-CSRF-Token', token));
    expect(res.status).toBe(200);
    check(res, 'post', path);
    check(await json(agent.post(path).set('X-CSRF-Token', token)), 'post', path);
  });

  test('every JSON route was driven to a 2xx answer here', () => {
    const jsonRoutes = Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => m in item).flatMap((m) =>
        Object.entries(item[m]!.responses)
          .filter(([status, r]) => status.startsWith('2') && deref(r).content)
          .filter(([, r]) => JSON_TYPE in (deref(r).content as Json))
          .map(([status]) => `${m} ${path} ${status}`),
      ),
    );
    expect(jsonRoutes.filter((r) => !seen.has(r))).toEqual([]);
    if (process.env.OPENAPI_SEEN) console.log([...seen].sort().join('\n'));
  });
});

test('429 rate_limited, with Retry-After, as documented', async () => {
  const h = await startHarness(() => ({ rateLimit: { limit: 1 } }));
  try {
    const agent = h.newAgent();
    check(await agent.get('/auth/csrf').set('Accept', JSON_TYPE), 'get', '/auth/csrf');
    const limited = await agent.get('/auth/csrf').set('Accept', JSON_TYPE);
    expect(limited.status).toBe(429);
    check(limited, 'get', '/auth/csrf');
  } finally {
    await h.close();
  }
});
