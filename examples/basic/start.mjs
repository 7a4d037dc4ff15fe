// `pnpm start`: the example from one bundled file (dist/server.mjs), rebuilt by esbuild only when
// a source (the example's or a package's) is newer than it. Under tsx every TypeScript file of
// the example and the packages is compiled again at each start (1.5-2.5 s to the first answer);
// from the bundle it answers in about 0.4 s. `node start.mjs --build` only builds (at install).
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const out = join(here, 'dist', 'server.mjs');

/** The newest modification time under `path` (0 when it does not exist). */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const sources = [
  join(here, 'src'),
  join(here, 'package.json'),
  join(root, 'pnpm-lock.yaml'),
  ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'src')),
];
const building = process.argv.includes('--build');
const built = statSync(out, { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (sources.some((s) => newest(s) > built)) {
  try {
    await bundle();
  } catch (err) {
    // At install a failed build is not fatal: `pnpm start` tries again, and reports it there.
    if (!building) throw err;
    console.warn(`examples/basic: bundle not built (${err.message}); pnpm start will build it`);
  }
}

async function bundle() {
  // esbuild comes with tsx (a devDependency of this example).
  const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
  const esbuild = fromTsx('esbuild');
  await esbuild.build({
    entryPoints: [join(here, 'src', 'server.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The packages from their sources (tsconfig paths), as under tsx.
    tsconfig: join(here, 'tsconfig.json'),
    // CommonJS dependencies inside an ES module bundle still call require().
    banner: {
      js: "import { createRequire as __socialauthRequire } from 'node:module'; const require = __socialauthRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
}
if (!building) await import(pathToFileURL(out).href);
