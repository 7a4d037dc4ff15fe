// The README's list of rate-limited routes, against what the router does: with a limit of one
// request a window, a listed route answers its second request 429, and no other route ever does.
// Each route is asked from its own client address (X-Forwarded-For, with `trust proxy`), since
// the listed routes share one count per address.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { startHarness, type Harness } from '@socialauth/testkit';

const README = readFileSync(join(__dirname, '../../../README.md'), 'utf8');

/** `GET /auth/:provider`, ... as the README's "Rate-limited per IP" paragraph names them. */
function listedRoutes(): string[] {
  const from = README.indexOf('Rate-limited per IP');
  expect(from).toBeGreaterThanOrEqual(0);
  const paragraph = README.slice(from, README.indexOf('\n\n', from));
  return [...paragraph.matchAll(/`(GET|POST) (\/auth[^`?\s]*)[^`]*`/g)].map(
    ([, m, p]) => `${m} ${p}`,
  );
}

/** Every route of the README's route table. */
function allRoutes(): string[] {
  const table = README.slice(README.indexOf('### Routes'));
  const rows = table.slice(0, table.indexOf('\n\n', table.indexOf('| route')));
  return [
    ...new Set(
      [...rows.matchAll(/`(GET|POST) (\/auth[^`?\s]*)[^`]*`/g)].map(([, m, p]) => `${m} ${p}`),
    ),
  ];
}

let h: Harness;
beforeAll(async () => {
  const app = express();
  app.set('trust proxy', true);
  h = await startHarness(() => ({ rateLimit: { limit: 1, windowMs: 60_000 } }), app);
});
afterAll(() => h.close());

test('exactly the routes the README lists as rate-limited answer 429 past the limit', async () => {
  const listed = listedRoutes();
  expect(listed).toContain('POST /auth/:provider/token');
  let address = 0;
  const limited: string[] = [];
  for (const route of allRoutes()) {
    const [method, path] = route.split(' ') as ['GET' | 'POST', string];
    const from = `203.0.113.${++address}`;
    const ask = () => {
      const url = path.replace(':provider', 'google');
      const request = method === 'GET' ? h.newAgent().get(url) : h.newAgent().post(url);
      return request.set('X-Forwarded-For', from).set('Accept', 'application/json');
    };
    await ask();
    if ((await ask()).status === 429) limited.push(route);
  }
  expect(limited.sort()).toEqual([...listed].sort());
});
