// auth.admin.list on PostgreSQL (issue 20, part 6): 100,000 users paged through by the index
// of migration 0003_admin, never loaded at once. The plan is asserted (an index scan, no sort);
// the timings go to test-output/admin-listing.json, as figures, never as a threshold.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPostgres, type PostgresServer } from '@socialauth/testkit';
import type { AccountStore, StoredUser } from '@socialauth/core';
import { migrate, postgresAccounts } from '../src';

const USERS = 100_000;
const PAGE = 100;

let server: PostgresServer;
let store: AccountStore;
beforeAll(async () => {
  server = await startPostgres();
  await migrate({ url: server.url });
  store = postgresAccounts({ url: server.url });
  // Many share a millisecond (1,000 per second of created_at), so ties are paged by id.
  await server.query(
    `insert into socialauth_users (id, name, created_at)
     select md5(i::text), 'user ' || i, timestamptz '2026-01-01' + (i / 1000) * interval '1 second'
     from generate_series(1, ${USERS}) as i`,
  );
  await server.query(
    `insert into socialauth_identities (provider, subject, user_id, email_verified)
     select 'kakao', (1000000 + i)::text, md5(i::text), false from generate_series(1, ${USERS}) as i`,
  );
  await server.query('analyze');
}, 120_000);
afterAll(async () => {
  await store?.close?.();
  await server?.stop();
});

/** Pages through a listing; returns every id served and how long each page took. */
async function pageThrough(query: { provider?: string }) {
  const ids: string[] = [];
  const times: number[] = [];
  let cursor: string | undefined;
  do {
    const started = process.hrtime.bigint();
    const page: { users: StoredUser[]; next?: string } = await store.listUsers!({
      ...query,
      limit: PAGE,
      ...(cursor !== undefined && { cursor }),
    });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    ids.push(...page.users.map((u) => u.id));
    cursor = page.next;
  } while (cursor !== undefined);
  return { ids, times };
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

test('pages through 100,000 users, each once, by the index and without a sort', async () => {
  const plan = JSON.stringify(
    await server.query(
      `explain (format json) select id from socialauth_users
       where (created_at, id collate "C") < ($1, $2 collate "C")
       order by created_at desc, id collate "C" desc limit ${PAGE + 1}`,
      [new Date('2026-01-01T00:00:50Z'), 'ffff'],
    ),
  );
  expect(plan).toContain('socialauth_users_created_idx');
  expect(plan).not.toContain('"Sort"');
  expect(plan).not.toContain('Seq Scan');

  const all = await pageThrough({});
  expect(all.ids).toHaveLength(USERS);
  expect(new Set(all.ids).size).toBe(USERS);
  const byProvider = await pageThrough({ provider: 'kakao' });
  expect(byProvider.ids).toHaveLength(USERS);
  expect(new Set(byProvider.ids).size).toBe(USERS);

  const figures = {
    users: USERS,
    pageSize: PAGE,
    all: {
      pages: all.times.length,
      totalMs: Math.round(all.times.reduce((a, b) => a + b, 0)),
      p50Ms: percentile(all.times, 0.5),
      p99Ms: percentile(all.times, 0.99),
    },
    byProvider: {
      pages: byProvider.times.length,
      totalMs: Math.round(byProvider.times.reduce((a, b) => a + b, 0)),
      p50Ms: percentile(byProvider.times, 0.5),
      p99Ms: percentile(byProvider.times, 0.99),
    },
    firstPageVsLastPageMs: [all.times[0], all.times[all.times.length - 1]],
  };
  const dir = join(__dirname, '..', 'test-output');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'admin-listing.json'), JSON.stringify(figures, null, 2) + '\n');
}, 300_000);
