import { approveConsent, DEFAULT_USERS, startEmulator, type Emulator } from '../src';
import { authorizeUrl, callback, REDIRECT_URI } from './helpers';

let emulator: Emulator;
let clock = Date.now();

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, now: () => clock });
});

afterAll(() => emulator.stop());

async function page(url: string): Promise<{ status: number; html: string; headers: Headers }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, html: await res.text(), headers: res.headers };
}

async function redirected(url: string): Promise<URL> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

const [alice, bob, carol] = DEFAULT_USERS.google;

describe('consent page', () => {
  it('is a script-free form listing every test account and the requested scopes', async () => {
    const { status, html, headers } = await page(authorizeUrl(emulator));
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/html/);
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.googleapis\.com\/auth\/)/i);
    expect(html).toMatch(/<form method="post" action="\/__emulator\/consent">/);
    expect(html).toMatch(/<input type="hidden" name="tx" value="[\w-]{40,}">/);
    for (const user of DEFAULT_USERS.google) {
      expect(html).toContain(`value="${user.sub}"`);
      expect(html).toContain(user.name ?? '');
      expect(html).toContain(user.email ?? '');
    }
    expect(html).toContain('<button type="submit" name="action" value="approve">Approve</button>');
    expect(html).toMatch(/<button type="submit" name="action" value="deny"[^>]*>Deny<\/button>/);
    expect(html).toContain('https://www.googleapis.com/auth/userinfo.email');
  });

  it('escapes everything it shows', async () => {
    emulator.registerClient({
      provider: 'google',
      clientId: 'xss-client',
      clientSecret: 'secret',
      name: '<script>alert("x")</script>',
    });
    const { html } = await page(authorizeUrl(emulator, { client_id: 'xss-client' }));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('preselects the account named by login_hint', async () => {
    const { html } = await page(authorizeUrl(emulator, { login_hint: bob?.email }));
    expect(html).toContain(`value="${bob?.sub}" checked`);
    expect(html).not.toContain(`value="${alice?.sub}" checked`);
  });
});

describe('approve and deny', () => {
  it('approve redirects with code, state, iss, expanded scope, authuser and prompt', async () => {
    const url = await callback(emulator);
    expect(url.origin + url.pathname).toBe(REDIRECT_URI);
    expect(url.searchParams.get('code')).toMatch(/^4\/0A[\w-]{40,}$/);
    expect(url.searchParams.get('state')).toBe('state-123');
    // RFC 9207 §2: Google names itself in the response, as in its real callbacks.
    expect(url.searchParams.get('iss')).toBe('https://accounts.google.com');
    expect(url.searchParams.get('scope')).toBe(
      'openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile',
    );
    expect(url.searchParams.get('authuser')).toBe('0');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.has('hd')).toBe(false);
  });

  it('adds hd for a Workspace account', async () => {
    const url = await callback(emulator, {}, { user: bob?.email });
    expect(url.searchParams.get('hd')).toBe('example.org');
  });

  it('deny redirects with access_denied and the state, and no code', async () => {
    const url = await callback(emulator, {}, { deny: true });
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('state')).toBe('state-123');
    expect(url.searchParams.has('code')).toBe(false);
  });

  it("keeps the redirect_uri's own query", async () => {
    const url = await callback(emulator, { redirect_uri: `${REDIRECT_URI}?tenant=a%20b` });
    expect(url.search).toMatch(/^\?tenant=a%20b&state=state-123&iss=[^&]+&code=/);
  });

  it('consumes the pending request on first submit', async () => {
    const { html } = await page(authorizeUrl(emulator));
    const tx = /name="tx" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const submit = () =>
      fetch(`${emulator.origin}/__emulator/consent`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ tx, user: carol?.sub ?? '', action: 'approve' }),
        redirect: 'manual',
      });
    expect((await submit()).status).toBe(302);
    const second = await submit();
    expect(second.status).toBe(400);
    expect(await second.text()).toContain('expired or was already used');
  });

  it('forgets a pending request after 10 minutes', async () => {
    const { html } = await page(authorizeUrl(emulator));
    const tx = /name="tx" value="([^"]+)"/.exec(html)?.[1] ?? '';
    clock += 10 * 60 * 1000;
    try {
      const res = await fetch(`${emulator.origin}/__emulator/consent`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ tx, user: alice?.sub ?? '', action: 'approve' }),
        redirect: 'manual',
      });
      expect(res.status).toBe(400);
    } finally {
      clock -= 10 * 60 * 1000;
    }
  });

  it('rejects an account that was not offered', async () => {
    const { html } = await page(authorizeUrl(emulator));
    const tx = /name="tx" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const res = await fetch(`${emulator.origin}/__emulator/consent`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `tx=${tx}&user=999&action=approve`,
      redirect: 'manual',
    });
    expect(res.status).toBe(400);
  });

  it('answers a malformed consent post with a 400 page', async () => {
    const res = await fetch(`${emulator.origin}/__emulator/consent`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"tx":',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Error 400: invalid_request');
  });
});

describe('rejected authorization requests', () => {
  it('shows a 401 invalid_client page for an unknown client, without redirecting', async () => {
    const { status, html, headers } = await page(authorizeUrl(emulator, { client_id: 'nope' }));
    expect(status).toBe(401);
    expect(headers.get('location')).toBeNull();
    expect(html).toContain('Error 401: invalid_client');
  });

  it('shows a 400 page when client_id is missing', async () => {
    const { status, html } = await page(authorizeUrl(emulator, { client_id: undefined }));
    expect(status).toBe(400);
    expect(html).toContain('Missing required parameter: client_id');
  });

  it.each([
    ['a missing', undefined],
    ['a relative', '/callback'],
    ['a non-http', 'javascript:alert(1)'],
    ['a fragment-bearing', `${REDIRECT_URI}#x`],
  ])('shows redirect_uri_mismatch for %s redirect_uri', async (_label, redirectUri) => {
    const { status, html, headers } = await page(
      authorizeUrl(emulator, { redirect_uri: redirectUri }),
    );
    expect(status).toBe(400);
    expect(headers.get('location')).toBeNull();
    expect(html).toContain('Error 400: redirect_uri_mismatch');
  });

  it('compares registered redirect URIs exactly', async () => {
    emulator.registerClient({
      provider: 'google',
      clientId: 'strict-client',
      clientSecret: 'secret',
      redirectUris: [REDIRECT_URI],
    });
    const ok = await page(authorizeUrl(emulator, { client_id: 'strict-client' }));
    expect(ok.status).toBe(200);
    for (const uri of [`${REDIRECT_URI}/`, `${REDIRECT_URI}?x=1`, REDIRECT_URI.toUpperCase()]) {
      const bad = await page(
        authorizeUrl(emulator, { client_id: 'strict-client', redirect_uri: uri }),
      );
      expect(bad.html).toContain('redirect_uri_mismatch');
    }
  });

  it('refuses the implicit grant with unsupported_response_type', async () => {
    const url = await redirected(authorizeUrl(emulator, { response_type: 'token' }));
    expect(url.searchParams.get('error')).toBe('unsupported_response_type');
    expect(url.searchParams.get('state')).toBe('state-123');
    expect(url.searchParams.has('access_token')).toBe(false);
  });

  it.each([
    ['scope missing', { scope: undefined }, 'invalid_request'],
    ['response_type missing', { response_type: undefined }, 'invalid_request'],
    ['prompt=login', { prompt: 'login' }, 'invalid_request'],
    ['prompt=none with consent', { prompt: 'none consent' }, 'invalid_request'],
    ['bad access_type', { access_type: 'forever' }, 'invalid_request'],
    ['unknown scope', { scope: 'openid admin' }, 'invalid_scope'],
    [
      'unknown code_challenge_method',
      { code_challenge: 'a'.repeat(43), code_challenge_method: 'S512' },
      'invalid_request',
    ],
    [
      'short code_challenge',
      { code_challenge: 'short', code_challenge_method: 'S256' },
      'invalid_request',
    ],
    ['prompt=none (no signed-in session)', { prompt: 'none' }, 'login_required'],
  ])('redirects with an error when %s', async (_label, params, error) => {
    const url = await redirected(authorizeUrl(emulator, params));
    expect(url.origin + url.pathname).toBe(REDIRECT_URI);
    expect(url.searchParams.get('error')).toBe(error);
    expect(url.searchParams.get('state')).toBe('state-123');
  });

  it('rejects a repeated parameter (RFC 6749 §3.1)', async () => {
    const url = await redirected(`${authorizeUrl(emulator)}&state=other`);
    expect(url.searchParams.get('error')).toBe('invalid_request');
  });
});

describe('approveConsent', () => {
  it('throws with the page text when the request is rejected', async () => {
    await expect(approveConsent(authorizeUrl(emulator, { client_id: 'nope' }))).rejects.toThrow(
      /HTTP 401.*Error 401: invalid_client/,
    );
  });

  it('returns the error redirect when there is no page to show', async () => {
    const location = await approveConsent(authorizeUrl(emulator, { response_type: 'token' }));
    expect(new URL(location).searchParams.get('error')).toBe('unsupported_response_type');
  });

  it('picks an account by sub or email and throws for an unknown one', async () => {
    const bySub = await callback(emulator, {}, { user: carol?.sub });
    expect(bySub.searchParams.get('code')).toBeTruthy();
    await expect(
      approveConsent(authorizeUrl(emulator), { user: 'nobody@example.com' }),
    ).rejects.toThrow(/No account matches nobody@example.com/);
  });

  it('counts the GET as authorize and the POST as consent', async () => {
    emulator.resetCounts();
    await callback(emulator);
    expect(emulator.count('google', 'authorize')).toBe(1);
    expect(emulator.count('google', 'consent')).toBe(1);
    expect(emulator.count('google', 'token')).toBe(0);
  });
});
