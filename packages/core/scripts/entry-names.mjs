// Counts the names an entry point exports: its runtime keys (the built CJS module's) and its
// type-only exports (TypeScript's view of the source). Usage, after `pnpm build`:
//   node packages/core/scripts/entry-names.mjs [index|provider]
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const entry = process.argv[2] ?? 'index';
const src = fileURLToPath(new URL(`../src/${entry}.ts`, import.meta.url));
const built = fileURLToPath(new URL(`../dist/${entry}.cjs`, import.meta.url));
const runtime = Object.keys(createRequire(import.meta.url)(built)).sort();
const program = ts.createProgram([src], { strict: true, skipLibCheck: true, noEmit: true });
const checker = program.getTypeChecker();
const all = checker
  .getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(src)))
  .map((s) => s.name);
const typeOnly = all.filter((name) => !runtime.includes(name)).sort();
console.log(`runtime (${runtime.length}): ${runtime.join(', ')}`);
console.log(`type-only (${typeOnly.length}): ${typeOnly.join(', ')}`);
console.log(`total: ${runtime.length + typeOnly.length}`);
