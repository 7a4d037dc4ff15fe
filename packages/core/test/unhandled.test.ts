// Issue 8: an unhandled rejection anywhere in a test run must fail the run, so a route that
// lets one escape (which would end a real server's process) cannot pass. jest-circus turns a
// process 'unhandledRejection' into a test error; this pins that the suite runs with it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

test('a rejection nobody handles fails the test that caused it', () => {
  const fixtures = join(__dirname, 'fixtures');
  const config = {
    rootDir: fixtures,
    testMatch: ['**/unhandled-rejection.fixture.js'],
    transform: {},
  };
  const run = spawnSync(
    process.execPath,
    [require.resolve('jest/bin/jest'), '--config', JSON.stringify(config), '--ci'],
    { encoding: 'utf8', timeout: 60_000, env: { ...process.env, FORCE_COLOR: '0' } },
  );
  expect(run.stderr).toContain('rejected after the response');
  expect(run.stderr).toMatch(/Tests:\s+1 failed/);
  expect(run.status).toBe(1);
});
