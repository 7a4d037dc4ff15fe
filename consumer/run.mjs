// Consumer test: do the packages work for someone who installs them with npm, outside this
// workspace? `pnpm consumer` builds, then this script
//   1. packs each package with `pnpm pack` (which turns `workspace:` ranges into versions),
//   2. npm-installs the tarballs into two scratch apps under the OS temp folder, one for Express 4
//      and one for Express 5, with only what a user would add (express, typescript, ioredis,
//      @types/node, @types/express),
//   3. type-checks the README's examples (consumer/app/typecheck.ts) as ESM and CommonJS under
//      nodenext and under bundler resolution, and every TypeScript block of the READMEs not
//      marked `<!-- fragment -->` (consumer/readme-blocks.mjs) as ESM under both,
//   4. signs in with Google, Naver, Kakao, Apple, GitHub, Microsoft and LINE over real HTTP against the installed emulator, from a
//      CommonJS app and from an ES module app (consumer/app/signin.cjs, signin.mjs), and with the
//      emulator's one-call sign-in on a supertest agent, as an app's own test (signin-supertest.mjs),
//   5. runs publint and @arethetypeswrong/cli on each tarball,
// and prints one table. Exits 1 if anything failed. KEEP=1 keeps the temp folder.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { readmeBlocks } from './readme-blocks.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('app/', import.meta.url));
/** The published packages (folders of packages/ whose package.json is not private). */
const PACKAGES = fs
  .readdirSync(path.join(ROOT, 'packages'))
  .filter((dir) => {
    const file = path.join(ROOT, 'packages', dir, 'package.json');
    return fs.existsSync(file) && !JSON.parse(fs.readFileSync(file, 'utf8')).private;
  })
  .sort();
const PROVIDERS = ['google', 'naver', 'kakao', 'apple', 'github', 'microsoft', 'line'];
const KEEP = process.env.KEEP === '1';

/** The scratch apps: the same dependencies but Express and its types. */
const APPS = [
  { name: 'express4', label: 'express 4', major: 4, express: '^4.21.0', types: '^4.17.21' },
  { name: 'express5', label: 'express 5', major: 5, express: '^5.0.0', types: '^5.0.0' },
];
const COMMON_DEPENDENCIES = { ioredis: '^5.0.0' };
const COMMON_DEV_DEPENDENCIES = {
  typescript: '~5.9.0',
  '@types/node': '^20.0.0',
  supertest: '^7.1.0',
};
const TOOLS = { publint: '^0.3.0', '@arethetypeswrong/cli': '^0.18.0' };

// `readme`: the README blocks are compiled too. They are ES modules (some use top-level
// `await`, as the README says), so not under the CommonJS setting.
const TS_MODES = [
  { label: 'nodenext ESM', tsconfig: 'tsconfig.esm.json', readme: true },
  { label: 'nodenext CJS', tsconfig: 'tsconfig.cjs.json', readme: false },
  { label: 'bundler', tsconfig: 'tsconfig.bundler.json', readme: true },
];
/** The README blocks to compile: src/readme/<name>.ts each. */
const README_BLOCKS = readmeBlocks().filter((block) => !block.fragment);
const SIGNIN_APPS = [
  { label: 'CJS', file: 'signin.cjs', entry: 'dist/index.cjs' },
  { label: 'ESM', file: 'signin.mjs', entry: 'dist/index.js' },
  // An app's own test: emulator.signIn(supertest agent), the one-call sign-in (README "Testing").
  { label: 'supertest', file: 'signin-supertest.mjs', entry: 'dist/index.js' },
];

const MINUTE = 60_000;
/** How long a sign-in app may take to exit once it has closed its server and emulator. */
const EXIT_GRACE_MS = 5_000;

// ---------------------------------------------------------------------------------------------
// Child processes

/**
 * The environment of every child process, as a user's shell would have it. `pnpm consumer` adds
 * npm_config_* (pnpm's settings, which npm would obey), npm_package_* and the workspace's
 * node_modules/.bin to PATH (which would find the workspace's tsc); NODE_ENV=production would
 * make socialauth refuse the memory stores, and NODE_PATH/NODE_OPTIONS could change resolution.
 */
function userEnvironment() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm|pnpm)_/i.test(key)) continue;
    if (['INIT_CWD', 'NODE_ENV', 'NODE_PATH', 'NODE_OPTIONS'].includes(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !path.resolve(dir).startsWith(ROOT))
    .join(path.delimiter);
  return env;
}
const ENV = userEnvironment();

/**
 * Runs a command to its end and resolves with its output; never rejects. A run that outlives
 * `timeoutMs` is killed (by its pid) and marked `timedOut`. `onLine` sees each stdout line and
 * may return a number of milliseconds: the process is killed if still running after that long.
 */
function run(command, args, { cwd, timeoutMs = 2 * MINUTE, logFile, onLine } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = logFile ? fs.createWriteStream(logFile) : undefined;
    const result = { code: null, stdout: '', stderr: '', output: '', timedOut: false, hung: false };
    const timers = [];
    const killAfter = (ms, flag) => {
      const timer = setTimeout(() => {
        result[flag] = true;
        child.kill('SIGKILL');
      }, ms);
      timers.push(timer);
    };
    killAfter(timeoutMs, 'timedOut');

    let partial = '';
    child.stdout.on('data', (chunk) => {
      result.stdout += chunk;
      result.output += chunk;
      log?.write(chunk);
      if (!onLine) return;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      for (const line of lines) {
        const grace = onLine(line);
        if (typeof grace === 'number') killAfter(grace, 'hung');
      }
    });
    child.stderr.on('data', (chunk) => {
      result.stderr += chunk;
      result.output += chunk;
      log?.write(chunk);
    });

    let settled = false;
    const finish = (code, error) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      result.code = code;
      result.seconds = (Date.now() - started) / 1000;
      if (error) result.stderr += `\n${command}: ${error.message}`;
      log?.end();
      resolve(result);
    };
    child.on('error', (error) => finish(-1, error));
    child.on('close', (code, signal) => finish(code ?? signal));
  });
}

/** Runs `tasks` (functions returning promises), at most `limit` at a time. */
async function pool(tasks, limit) {
  const queue = [...tasks];
  const worker = async () => {
    while (queue.length > 0) await queue.shift()();
  };
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker));
}

/** The first `count` non-empty lines of `text`, and how many more there were. */
function excerpt(text, count = 15) {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const more = lines.length > count ? [`... (${lines.length - count} more lines)`] : [];
  return [...lines.slice(0, count), ...more].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Results

/** Every check's outcome: one cell of the final table each. */
const results = [];

function record(section, row, column, pass, detail = '') {
  results.push({ section, row, column, pass, detail: detail.trim() });
  console.log(`  ${pass ? 'PASS' : 'FAIL'}  ${section}: ${row} / ${column}`);
}

/** The table's layout: its sections, their rows and columns, in the order they print. */
function layout() {
  const rows = (first, second) => first.flatMap((a) => second.map((b) => `${a.label}, ${b.label}`));
  return [
    { name: 'sign-in', rows: rows(SIGNIN_APPS, APPS), columns: PROVIDERS },
    { name: 'tsc', rows: rows(TS_MODES, APPS), columns: ['result'] },
    { name: 'subpath', rows: APPS.map((a) => a.label), columns: ['cjs', 'esm'] },
    {
      name: 'package',
      rows: PACKAGES.map((p) => `@socialauth/${p}`),
      columns: ['publint', 'attw'],
    },
  ];
}

function printTable() {
  const sections = layout();
  const cellOf = (section, row, column) =>
    results.find((r) => r.section === section && r.row === row && r.column === column);
  const width = Math.max(
    ...sections.flatMap((s) => s.rows.map((row) => s.name.length + row.length)),
  );
  const failures = [];

  console.log('\n== Summary');
  for (const { name, rows, columns } of sections) {
    // Each column as wide as its longest heading and a space ('microsoft' is nine letters).
    const columnWidth = Math.max(9, ...columns.map((c) => c.length + 1));
    console.log('\n' + ''.padEnd(width + 3) + columns.map((c) => c.padEnd(columnWidth)).join(''));
    for (const row of rows) {
      const cells = columns.map((column) => {
        const cell = cellOf(name, row, column);
        if (cell && !cell.pass) failures.push(cell);
        return (cell ? (cell.pass ? 'PASS' : 'FAIL') : '-').padEnd(columnWidth);
      });
      console.log(`${name}  ${row}`.padEnd(width + 3) + cells.join(''));
    }
  }

  if (failures.length === 0) return;
  console.log(`\n== Failures (${failures.length})`);
  for (const { section, row, column, detail } of failures) {
    console.log(`\n-- ${section}: ${row} / ${column}`);
    console.log(detail.replace(/^/gm, '   '));
  }
}

// ---------------------------------------------------------------------------------------------
// Steps

/** Packs each package into `dir`; returns { core: '/abs/socialauth-core-0.1.0.tgz', ... }. */
async function pack(dir) {
  const tarballs = {};
  for (const name of PACKAGES) {
    const pkgDir = path.join(ROOT, 'packages', name);
    if (!fs.existsSync(path.join(pkgDir, 'dist'))) {
      throw new Error(`packages/${name}/dist is missing: run \`pnpm build\` first`);
    }
    const result = await run('pnpm', ['pack', '--json', '--pack-destination', dir], {
      cwd: pkgDir,
    });
    if (result.code !== 0) {
      throw new Error(`pnpm pack in packages/${name} failed:\n${result.output}`);
    }
    const { filename } = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
    tarballs[name] = path.resolve(pkgDir, filename);
    console.log(`  ${path.basename(tarballs[name])}`);
  }
  return tarballs;
}

/** npm-installs into `dir` (a fresh folder with this package.json); true if it worked. */
async function npmInstall(dir, manifest, label) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  const logFile = path.join(dir, 'npm-install.log');
  // No lockfile: every run resolves the dependency ranges afresh, as a new user's install does.
  const result = await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], {
    cwd: dir,
    timeoutMs: 5 * MINUTE,
    logFile,
  });
  const ok = result.code === 0;
  console.log(
    `  ${ok ? 'done' : 'FAILED'}  npm install (${label}, ${result.seconds.toFixed(0)} s)`,
  );
  if (!ok) console.log(`\n-- npm output (${logFile}):\n${result.output}`);
  return ok;
}

/** A scratch app: the tarballs by path, as `npm install ./x.tgz` would record them. */
async function installApp(work, app, tarballs) {
  const dir = path.join(work, app.name);
  const dependencies = { express: app.express, ...COMMON_DEPENDENCIES };
  for (const name of PACKAGES) dependencies[`@socialauth/${name}`] = `file:${tarballs[name]}`;
  const manifest = {
    name: `socialauth-consumer-${app.name}`,
    private: true,
    // The tsconfig for CommonJS compiles a .cts file and the sign-in apps are .cjs and .mjs, so
    // this only decides that src/typecheck.ts is an ES module under nodenext.
    type: 'module',
    dependencies,
    devDependencies: { ...COMMON_DEV_DEPENDENCIES, '@types/express': app.types },
  };
  const installed = await npmInstall(dir, manifest, app.label);

  fs.mkdirSync(path.join(dir, 'src'));
  const source = path.join(FIXTURES, 'typecheck.ts');
  fs.copyFileSync(source, path.join(dir, 'src', 'typecheck.ts'));
  fs.copyFileSync(source, path.join(dir, 'src', 'typecheck.cts'));
  for (const file of ['drive.cjs', ...SIGNIN_APPS.map((a) => a.file)]) {
    fs.copyFileSync(path.join(FIXTURES, file), path.join(dir, file));
  }
  fs.mkdirSync(path.join(dir, 'src', 'readme'));
  for (const block of README_BLOCKS) {
    const where = `// ${block.file}, the block at line ${block.line}\n`;
    fs.writeFileSync(path.join(dir, 'src', 'readme', block.name), where + block.code);
  }
  for (const mode of TS_MODES) {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(FIXTURES, mode.tsconfig), 'utf8'));
    if (mode.readme) {
      tsconfig.files.push(...README_BLOCKS.map((block) => `src/readme/${block.name}`));
    }
    fs.writeFileSync(path.join(dir, mode.tsconfig), JSON.stringify(tsconfig, null, 2) + '\n');
  }
  return { ...app, dir, installed };
}

/** tsc of the README examples in one module setting; the first errors on failure. */
async function typecheck(app, mode) {
  const row = `${mode.label}, ${app.label}`;
  if (!app.installed) return record('tsc', row, 'result', false, 'npm install failed');
  // The app's own TypeScript, never the workspace's.
  const tsc = path.join(app.dir, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await run(process.execPath, [tsc, '-p', mode.tsconfig, '--pretty', 'false'], {
    cwd: app.dir,
  });
  const errors = result.stdout.match(/error TS\d+/g) ?? [];
  const pass = result.code === 0 && !result.timedOut;
  const summary = result.timedOut ? 'tsc timed out' : `${errors.length} error(s):`;
  record('tsc', row, 'result', pass, pass ? '' : `${summary}\n${excerpt(result.output, 20)}`);
}

/** Checks where a sign-in app's packages resolved; an empty string when all is as it should be. */
function misresolved(app, signin, resolved) {
  if (!resolved) return 'the app did not report where its packages resolved';
  const problems = [];
  const ownModules = path.join(app.dir, 'node_modules') + path.sep;
  for (const [name, where] of Object.entries(resolved)) {
    if (name === 'expressVersion') continue;
    const file = where.startsWith('file:') ? fileURLToPath(where) : where;
    if (!file.startsWith(ownModules)) problems.push(`${name} resolved outside the app: ${file}`);
    else if (name.startsWith('@socialauth/') && !file.endsWith(signin.entry)) {
      problems.push(`${name} resolved to ${file}, want its ${signin.entry}`);
    }
  }
  if (Number.parseInt(resolved.expressVersion, 10) !== app.major) {
    problems.push(`express ${resolved.expressVersion} is installed, want ${app.major}.x`);
  }
  return problems.join('\n');
}

/** One sign-in app: a cell per provider, from the app's RESULT lines and its exit. */
async function signIns(app, signin) {
  const row = `${signin.label}, ${app.label}`;
  if (!app.installed) {
    for (const provider of PROVIDERS) record('sign-in', row, provider, false, 'npm install failed');
    return;
  }
  const lines = {};
  const result = await run(process.execPath, [signin.file], {
    cwd: app.dir,
    timeoutMs: MINUTE,
    logFile: path.join(app.dir, `${signin.file}.log`),
    onLine: (line) => {
      const match = /^(RESOLVED|RESULT|DONE) (.*)$/.exec(line);
      if (!match) return undefined;
      const value = JSON.parse(match[2]);
      if (match[1] === 'RESULT') (lines.results ??= {})[value.provider] = value;
      else lines[match[1]] = value;
      return match[1] === 'DONE' ? EXIT_GRACE_MS : undefined;
    },
  });

  // Problems of the whole app fail every cell of its row.
  const whole = [misresolved(app, signin, lines.RESOLVED)];
  if (result.timedOut) whole.push(`still running after ${MINUTE / 1000} s: killed`);
  if (result.hung) {
    whole.push(
      `did not exit within ${EXIT_GRACE_MS / 1000} s of closing its server and emulator ` +
        '(something keeps the event loop alive): killed',
    );
  }
  const stderr = result.stderr.trim() ? `stderr:\n${excerpt(result.stderr)}` : '';
  for (const provider of PROVIDERS) {
    const cell = lines.results?.[provider];
    const problems = whole.filter(Boolean);
    if (!cell) problems.push(`no result (exit code ${result.code})`, stderr);
    else if (!cell.pass) problems.push(cell.detail);
    else if (result.code !== 0 && !result.hung) problems.push(`exit code ${result.code}`, stderr);
    record('sign-in', row, provider, problems.length === 0, problems.join('\n'));
  }
}

/** `@socialauth/core/provider` resolves from require() and import(), to the same modules as core. */
async function subpath(app) {
  const check =
    "if (typeof kit.providerBasics !== 'function' || kit.SocialAuthError !== core.SocialAuthError)" +
    " throw new Error('the provider kit is not the one core uses')";
  const scripts = {
    cjs: `const kit = require('@socialauth/core/provider'); const core = require('@socialauth/core'); ${check}`,
    esm: `const kit = await import('@socialauth/core/provider'); const core = await import('@socialauth/core'); ${check}`,
  };
  for (const [column, code] of Object.entries(scripts)) {
    if (!app.installed) {
      record('subpath', app.label, column, false, 'npm install failed');
      continue;
    }
    const type = column === 'esm' ? ['--input-type=module'] : [];
    const result = await run(process.execPath, [...type, '-e', code], { cwd: app.dir });
    record('subpath', app.label, column, result.code === 0, excerpt(result.output, 20));
  }
}

/** publint and attw on one tarball. Any message, even a suggestion, counts as a failure. */
async function lintPackage(toolsDir, name, tarball) {
  const row = `@socialauth/${name}`;
  if (!toolsDir) {
    record('package', row, 'publint', false, 'npm install of the tools failed');
    record('package', row, 'attw', false, 'npm install of the tools failed');
    return;
  }
  // The links npm made in .bin, run with this node.
  const bin = (tool) => path.join(toolsDir, 'node_modules', '.bin', tool);

  const publint = await run(process.execPath, [bin('publint'), 'run', tarball], { cwd: toolsDir });
  // publint exits 0 on warnings and suggestions; it says "All good!" only when it has none.
  const clean = publint.code === 0 && publint.stdout.includes('All good!');
  record('package', row, 'publint', clean, clean ? '' : excerpt(publint.output, 30));

  // --no-definitely-typed: never fetch @types from the registry (the packages ship their types).
  const options = ['--format', 'ascii', '--no-color', '--no-emoji', '--no-definitely-typed'];
  const attw = await run(process.execPath, [bin('attw'), tarball, ...options], { cwd: toolsDir });
  const typed = attw.code === 0 && attw.stdout.includes('No problems found');
  record('package', row, 'attw', typed, typed ? '' : excerpt(attw.output, 30));
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'socialauth-consumer-'));
  const cleanUp = () => {
    if (KEEP) console.log(`\nKEEP=1: scratch folder kept at ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    cleanUp();
    process.exit(130);
  });
  try {
    console.log(`== pnpm pack (scratch folder ${work})`);
    const tarballs = await pack(path.join(work, 'tarballs'));

    // One npm cache (npm's own) serves all three installs; they run side by side.
    console.log('== npm install (express 4, express 5, tools)');
    const toolsDir = path.join(work, 'tools');
    const [apps, toolsInstalled] = await Promise.all([
      Promise.all(APPS.map((app) => installApp(work, app, tarballs))),
      npmInstall(toolsDir, { private: true, devDependencies: TOOLS }, 'publint, attw'),
    ]);

    console.log('== checks');
    const tasks = [
      ...apps.flatMap((app) => SIGNIN_APPS.map((signin) => () => signIns(app, signin))),
      ...apps.flatMap((app) => TS_MODES.map((mode) => () => typecheck(app, mode))),
      ...apps.map((app) => () => subpath(app)),
      ...PACKAGES.map(
        (name) => () => lintPackage(toolsInstalled ? toolsDir : undefined, name, tarballs[name]),
      ),
    ];
    await pool(tasks, Math.max(2, os.availableParallelism()));
  } finally {
    cleanUp();
  }
  printTable();
  const failed = results.filter((r) => !r.pass).length;
  console.log(failed ? `\n${failed} check(s) failed` : '\nAll checks passed');
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
