import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeRedirect } from '../src/flow/redirect';

const policy = { origin: 'https://app.example.com', allowedOrigins: ['https://admin.example.com'] };

function corpus(name: string): string[] {
  return readFileSync(join(__dirname, 'fixtures', name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as string);
}

const reject = corpus('redirect-reject.jsonl');
const keep = corpus('redirect-keep.jsonl');

describe('safeRedirect', () => {
  test.each(reject)('rejects %j', (value) => {
    expect(safeRedirect(value, policy)).toBeUndefined();
  });

  test.each(keep)('keeps %j', (value) => {
    const result = safeRedirect(value, policy);
    expect(result).toBeDefined();
    // Whatever comes back stays on this site or an allowed origin.
    const resolved = new URL(result!, 'https://app.example.com');
    expect([policy.origin, ...policy.allowedOrigins]).toContain(resolved.origin);
  });

  test.each([
    ['an array', ['/a', '/b']],
    ['an object', { a: '/b' }],
    ['a number', 42],
    ['undefined', undefined],
    ['null', null],
    ['longer than 2 KB', `/${'a'.repeat(2048)}`],
  ])('rejects %s', (_label, value) => {
    expect(safeRedirect(value, policy)).toBeUndefined();
  });

  test('accepts a path of exactly 2 KB', () => {
    const value = `/${'a'.repeat(2047)}`;
    expect(safeRedirect(value, policy)).toBe(value);
  });

  test('normalizes dot segments without leaving the site', () => {
    expect(safeRedirect('/a/../b', policy)).toBe('/b');
  });

  test('without allowed origins, another origin is refused', () => {
    expect(
      safeRedirect('https://admin.example.com/x', { origin: policy.origin, allowedOrigins: [] }),
    ).toBeUndefined();
  });

  // The shared corpus is the source of truth; the copy above must hold every line of it.
  const shared = join(__dirname, '..', '..', '..', '..', 'shared', 'security');
  (existsSync(shared) ? test : test.skip)('includes every line of ../shared/security', () => {
    for (const name of ['redirect-reject.jsonl', 'redirect-keep.jsonl']) {
      const lines = readFileSync(join(shared, name), 'utf8')
        .split('\n')
        .filter((l) => l.trim());
      const mine = new Set(corpus(name).map((v) => JSON.stringify(v)));
      for (const line of lines) expect(mine).toContain(JSON.stringify(JSON.parse(line)));
    }
  });
});

describe('safeRedirect with appReturnURLs (native apps)', () => {
  const app = {
    ...policy,
    appReturnURLs: [
      'com.example.app:/signed-in',
      'com.example.root:/',
      'https://links.example.net/app/',
    ],
  };

  test.each([
    'com.example.app:/signed-in',
    'com.example.app:/signed-in?x=1#y',
    'com.example.app:/signed-in/deeper',
    'com.example.root:/anything',
    'https://links.example.net/app/done',
  ])('keeps the listed %j', (value) => {
    expect(safeRedirect(value, app)).toBe(value);
  });

  test.each([
    ['an unlisted scheme', 'com.example.other:/signed-in'],
    ['a scheme that extends the listed one', 'com.example.appevil:/signed-in'],
    ['a path that extends the listed one', 'com.example.app:/signed-inbox'],
    ['an @ after the prefix', 'com.example.app:/signed-in@evil'],
    ['another path of the scheme', 'com.example.app:/x@evil'],
    ['a dot segment out of the prefix', 'com.example.app:/signed-in/../admin'],
    ['an upper-case scheme', 'COM.EXAMPLE.APP:/signed-in'],
    ['an encoded slash', 'com.example.app:/signed-in%2f..%2fadmin'],
    ['whitespace', 'com.example.app:/signed-in x'],
    ['a control character', 'com.example.app:/signed-in\n'],
    ['an @ in place of the prefix slash', 'https://links.example.net/app@evil.com/'],
    ['a universal link outside the prefix', 'https://links.example.net/other'],
    ['javascript', 'javascript:alert(1)'],
    ['an authority after a prefix ending in /', 'com.example.root://evil.com/'],
  ])('refuses %s', (_label, value) => {
    expect(safeRedirect(value, app)).toBeUndefined();
  });

  test('a universal link host with credentials is refused', () => {
    const host = { ...policy, appReturnURLs: ['https://links.example.net'] };
    expect(safeRedirect('https://links.example.net@evil.com/', host)).toBeUndefined();
    expect(safeRedirect('https://links.example.net.evil.com/', host)).toBeUndefined();
    expect(safeRedirect('https://links.example.net/x', host)).toBe('https://links.example.net/x');
  });

  test('without the list, app URLs stay refused', () => {
    expect(safeRedirect('com.example.app:/signed-in', policy)).toBeUndefined();
  });
});
