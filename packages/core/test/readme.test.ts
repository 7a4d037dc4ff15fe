// The README's error-code table is the list users branch on: it must be ERROR_CODES, exactly,
// with the same statuses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '../src';

test('the README lists exactly the error codes, with their statuses', () => {
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Error codes'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| code')));
  const rows = [...table.matchAll(/^\| `([a-z_]+)`\s*\| (\d{3})\s*\|/gm)].map(
    ([, code, status]) => [code, Number(status)],
  );
  expect(Object.fromEntries(rows)).toEqual(
    Object.fromEntries(Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status])),
  );
  expect(rows).toHaveLength(Object.keys(ERROR_CODES).length);
});
