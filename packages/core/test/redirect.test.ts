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
