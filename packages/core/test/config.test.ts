import express from 'express';
import session from 'express-session';
import {
  SocialAuthError,
  memoryAccounts,
  memoryCoordination,
  socialAuth,
  type SocialAuthConfig,
} from '../src';
import { google } from '@socialauth/google';

const SECRET = 'a-session-secret-that-is-long-enough-1234';
const CLIENT_SECRET = 'the-google-client-secret-value';
const valid = (): SocialAuthConfig => ({
  baseURL: 'http://localhost:3000',
  secret: SECRET,
  providers: [google({ clientId: 'id', clientSecret: CLIENT_SECRET })],
  logger: false,
});

function configError(config: unknown): SocialAuthError {
  try {
    socialAuth(config as SocialAuthConfig);
  } catch (err) {
    expect(err).toBeInstanceOf(SocialAuthError);
    expect((err as SocialAuthError).code).toBe('config_invalid');
    return err as SocialAuthError;
  }
  throw new Error('socialAuth accepted an invalid config');
}

/** A session store of the app's own (not memory): one every instance could share. */
const sharedStore = () =>
  new (class extends session.Store {
    get() {}
    set() {}
    destroy() {}
  })();

describe('config validation at start-up', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('a valid config mounts', () => {
    expect(typeof socialAuth(valid())).toBe('function');
  });

  test.each([
    ['baseURL', { baseURL: undefined }, /baseURL: is required; pass the public origin/],
    [
      'baseURL with a path',
      { baseURL: 'http://localhost:3000/app' },
      /baseURL: must be an http\(s\) origin/,
    ],
    ['baseURL scheme', { baseURL: 'ftp://localhost' }, /baseURL: must be an http\(s\) origin/],
    ['secret', { secret: undefined }, /secret: .*set SESSION_SECRET/],
    ['short secret', { secret: 'short' }, /secret: must be a string of at least 32 characters/],
    ['providers', { providers: undefined }, /providers: is required; pass at least one provider/],
    ['empty providers', { providers: [] }, /providers: must list at least one provider/],
    [
      'redirects.afterLogin',
      { redirects: { afterLogin: '//evil.com' } },
      /redirects\.afterLogin: must be a path on this site/,
    ],
  ])('%s is checked', (_field, patch, message) => {
    const err = configError({ ...valid(), ...patch });
    expect(err.message).toMatch(message);
  });

  test('a provider field is named with its index, and the fix', () => {
    delete process.env.GOOGLE_CLIENT_SECRET;
    const err = configError({ ...valid(), providers: [google({ clientId: 'id' })] });
    expect(err.message).toContain(
      'providers[0] (google): clientSecret is required; set GOOGLE_CLIENT_SECRET or pass clientSecret',
    );
  });

  test('credentials default to the environment', () => {
    process.env.GOOGLE_CLIENT_ID = 'env-id';
    process.env.GOOGLE_CLIENT_SECRET = 'env-secret';
    expect(() => socialAuth({ ...valid(), providers: [google()] })).not.toThrow();
  });

  test('a provider listed twice is refused', () => {
    const p = google({ clientId: 'id', clientSecret: CLIENT_SECRET });
    expect(configError({ ...valid(), providers: [p, p] }).message).toContain('listed twice');
  });

  test('errors never print a secret value', () => {
    const err = configError({
      ...valid(),
      secret: 'tooshort-secret-value',
      baseURL: 'nope',
      providers: [google({ clientId: 'id', clientSecret: CLIENT_SECRET, origin: 'not a url' })],
    });
    expect(err.message).not.toContain('tooshort-secret-value');
    expect(err.message).not.toContain(CLIENT_SECRET);
    expect(err.message).toContain('providers[0] (google): origin must be a URL');
  });

  // Issue 13, row 5: the production guard, passed or defaulted.
  test('production refuses memory stores, passed or defaulted, and says what to pass', () => {
    process.env.NODE_ENV = 'production';
    const defaulted = configError(valid()).message;
    expect(defaulted).toMatch(/session\.store: .*pass session: \{ store: redisSession/);
    expect(defaulted).toMatch(/accounts: .*pass accounts: redisAccounts/);
    const passed = configError({
      ...valid(),
      session: { store: new session.MemoryStore() },
      accounts: memoryAccounts(),
    }).message;
    expect(passed).toMatch(/session\.store: the memory store is for development/);
    expect(passed).toMatch(/accounts: the memory account store forgets every user/);
    const store = sharedStore();
    const accounts = { ...memoryAccounts() }; // a copy stands for the app's own store
    expect(() =>
      socialAuth({ ...valid(), session: { store }, accounts, singleInstance: true }),
    ).not.toThrow();
  });

  // Issue 17, item 3: a shared session store with coordination in each process would make
  // sign-out everywhere, state claims and refresh locks per instance.
  test('production refuses a shared session store with process-local coordination', () => {
    process.env.NODE_ENV = 'production';
    const store = sharedStore();
    const accounts = { ...memoryAccounts() };
    const base = { ...valid(), session: { store }, accounts };
    for (const config of [base, { ...base, coordination: memoryCoordination() }]) {
      const err = configError(config).message;
      expect(err).toMatch(/coordination: the session store is shared by instances/);
      expect(err).toContain('redisCoordination({ url: process.env.REDIS_URL })');
      expect(err).toContain('singleInstance: true');
    }
    expect(() => socialAuth({ ...base, singleInstance: true })).not.toThrow();
    process.env.NODE_ENV = 'development';
    expect(() => socialAuth(base)).not.toThrow();
  });

  test('production refuses an http baseURL other than localhost, naming the fix', () => {
    process.env.NODE_ENV = 'production';
    const store = sharedStore();
    const accounts = { ...memoryAccounts() };
    const ok = { ...valid(), session: { store }, accounts, singleInstance: true };
    const err = configError({ ...ok, baseURL: 'http://app.example.com' });
    expect(err.message).toMatch(/baseURL: .*pass the site's https origin/);
    expect(err.message).toContain("app.set('trust proxy', 1)");
    expect(err.message).not.toContain('http://app.example.com');
    for (const baseURL of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']) {
      expect(() => socialAuth({ ...ok, baseURL })).not.toThrow();
    }
    expect(() => socialAuth({ ...ok, baseURL: 'https://app.example.com' })).not.toThrow();
    process.env.NODE_ENV = 'development';
    expect(() => socialAuth({ ...ok, baseURL: 'http://app.example.com' })).not.toThrow();
  });

  test('start-up logs the exact callback URL per provider, and nothing secret', () => {
    const lines: string[] = [];
    const logger = {
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
    };
    express().use(socialAuth({ ...valid(), logger }));
    expect(lines).toEqual([
      '[socialauth] Google: register this callback URL in its console: http://localhost:3000/auth/google/callback',
    ]);
    expect(lines.join('\n')).not.toContain(CLIENT_SECRET);
    expect(lines.join('\n')).not.toContain(SECRET);
  });
});
