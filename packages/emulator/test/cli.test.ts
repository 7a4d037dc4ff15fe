import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

// The CLI is built from source with tsup into a private directory inside the package (so the
// bundle resolves express and jose from the package's node_modules, and a build running in
// parallel elsewhere never races on dist/).
const packageDir = resolve(__dirname, '..');
const outDir = join(packageDir, '.tmp', `cli-test-${process.pid}`);
const cli = join(outDir, 'cli.js');

beforeAll(async () => {
  const tsupBin = join(dirname(require.resolve('tsup/package.json')), 'dist', 'cli-default.js');
  const args = [tsupBin, 'src/cli.ts', '--no-config', '--format', 'esm', '--platform', 'node'];
  args.push('--target', 'node20', '--out-dir', outDir, '--silent');
  await promisify(execFile)(process.execPath, args, { cwd: packageDir });
}, 120_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  // Leave no empty .tmp behind, but never remove another run's build.
  const parent = dirname(outDir);
  if (readdirSync(parent).length === 0) rmdirSync(parent);
});

function run(args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
}

function stderrOf(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

function output(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolvePromise, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) resolvePromise(match);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing: ${text}`)));
  });
}

function exit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolvePromise) => child.once('exit', (code) => resolvePromise(code)));
}

it('keeps the shebang on the first line', () => {
  expect(readFileSync(cli, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
});

it('starts on a free port, prints its origin and all three clients, and stops on SIGTERM', async () => {
  const child = run(['--port', '0', '--host', '127.0.0.1']);
  const exited = exit(child);
  try {
    const [text = '', origin = ''] = await output(
      child,
      /listening on (http:\/\/127\.0\.0\.1:\d+)\n[\s\S]*Kakao client secret: +\S+\n/,
    );
    for (const provider of ['google', 'naver', 'kakao']) {
      expect(text).toContain(`emulator-${provider}-client-id`);
      expect(text).toContain(`emulator-${provider}-client-secret`);
    }
    expect(text).toContain(`${origin}/oauth2.0/authorize`);
    expect(text).toContain(`${origin}/oauth/authorize`);
    const res = await fetch(`${origin}/.well-known/openid-configuration`);
    const doc = (await res.json()) as { issuer: string; token_endpoint: string };
    expect(doc).toMatchObject({
      issuer: 'https://accounts.google.com',
      token_endpoint: `${origin}/token`,
    });
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
});

it('prints usage for --help and rejects a bad port', async () => {
  const help = run(['--help']);
  const usage = output(help, /Usage: socialauth-emulator/);
  expect(await exit(help)).toBe(0);
  await expect(usage).resolves.toBeTruthy();

  const bad = run(['--port', 'abc']);
  let stderr = '';
  bad.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  expect(await exit(bad)).toBe(2);
  expect(stderr).toContain('--port');
});

it('refuses NODE_ENV=production, saying why and how to override, and starts with --allow-production', async () => {
  const env = { ...process.env, NODE_ENV: 'production' };
  const refused = run(['--port', '0'], env);
  const stderr = stderrOf(refused);
  // A CLI that starts anyway is stopped here, so the test fails instead of hanging.
  output(refused, /listening on/).then(
    () => refused.kill('SIGKILL'),
    () => undefined,
  );
  expect(await exit(refused)).toBe(1);
  expect(stderr()).toMatch(/NODE_ENV=production/);
  expect(stderr()).toMatch(/public defaults/);
  expect(stderr()).toContain('--allow-production');
  expect(readFileSync(cli, 'utf8')).toContain('allow-production');

  const allowed = run(['--port', '0', '--allow-production'], env);
  const exited = exit(allowed);
  try {
    const [, origin = ''] = await output(allowed, /listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
    expect((await fetch(`${origin}/.well-known/openid-configuration`)).status).toBe(200);
  } finally {
    allowed.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
});

it('on --host 0.0.0.0: prints the loopback origin it can be reached at, and warns on stderr', async () => {
  const child = run(['--port', '0', '--host', '0.0.0.0']);
  const stderr = stderrOf(child);
  const exited = exit(child);
  try {
    const [, origin = '', port = ''] = await output(
      child,
      /listening on (http:\/\/127\.0\.0\.1:(\d+))\n/,
    );
    expect(Number(port)).toBeGreaterThan(0);
    expect((await fetch(`${origin}/.well-known/openid-configuration`)).status).toBe(200);
    expect(stderr()).toContain(`warning: socialauth emulator: bound to 0.0.0.0:${port}`);
    expect(stderr()).toMatch(/reachable from the network/);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
});

it('on --host 127.0.0.1: no warning', async () => {
  const child = run(['--port', '0', '--host', '127.0.0.1']);
  const stderr = stderrOf(child);
  const exited = exit(child);
  try {
    await output(child, /Kakao client secret: +\S+\n/);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  expect(stderr()).toBe('');
});
