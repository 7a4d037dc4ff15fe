import express from 'express';
import session from 'express-session';
import { SocialAuthError, memoryAccounts, socialAuth, type SocialAuthConfig } from '../src';
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

  test('production refuses the memory session store and says what to pass', () => {
    process.env.NODE_ENV = 'production';
    expect(configError(valid()).message).toMatch(/session\.store: .*pass session: \{ store \}/);
    const store = new session.MemoryStore();
    expect(configError({ ...valid(), session: { store } }).message).toMatch(
      /accounts: .*pass accounts: redisAccounts/,
    );
    expect(() =>
      socialAuth({ ...valid(), session: { store }, accounts: memoryAccounts() }),
    ).not.toThrow();
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
