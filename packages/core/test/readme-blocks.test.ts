// Every TypeScript block of the READMEs is either a whole program that compiles (consumer/run.mjs
// type-checks each one against the packages as npm installs them) or marked `<!-- fragment -->`
// on the line above it. This file checks the same blocks, faster, against the workspace's
// sources: a block a user would paste and find broken fails here first.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '../../..');

interface Block {
  file: string;
  line: number;
  name: string;
  fragment: boolean;
  code: string;
}

// Run as a program, as run.mjs imports it: one list for both.
const blocks = JSON.parse(
  execFileSync(process.execPath, [join(ROOT, 'consumer/readme-blocks.mjs')], { encoding: 'utf8' }),
) as Block[];
const whole = blocks.filter((b) => !b.fragment);

test('the block list holds every ts fence of every README', () => {
  const files = [...new Set(blocks.map((b) => b.file))];
  expect(files).toEqual(
    expect.arrayContaining(['README.md', 'README.ko.md', 'packages/core/README.md']),
  );
  for (const file of files) {
    const fences = readFileSync(join(ROOT, file), 'utf8').match(/^```(ts|typescript)\s*$/gm);
    expect([file, blocks.filter((b) => b.file === file).length]).toEqual([file, fences?.length]);
  }
  expect(whole.length).toBeGreaterThanOrEqual(6);
});

test('every block not marked as a fragment is an ES module that type-checks', () => {
  // Virtual files beside this test: module resolution finds the workspace's node_modules, and
  // tsconfig.base.json's paths map each @socialauth package to its source.
  const dir = join(__dirname, 'readme-blocks');
  const files = new Map(whole.map((b) => [join(dir, b.name), b]));
  const parsed = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.base.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  })!;
  const options = { ...parsed.options, noEmit: true, types: ['node'] };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) => {
    const block = files.get(name);
    return block
      ? ts.createSourceFile(name, block.code, language)
      : getSourceFile(name, language, ...rest);
  };
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.readFile = (name) => files.get(name)?.code ?? readFile(name);
  const program = ts.createProgram([...files.keys()], options, host);

  const problems = ts.getPreEmitDiagnostics(program).flatMap((d) => {
    const block = d.file && files.get(d.file.fileName);
    if (!block) return [];
    const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
    const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    return [`${block.file}:${block.line + 1 + line}: ${text}`];
  });
  // A block without an import or export is a script: its names would clash with other blocks'.
  const scripts = whole
    .filter((b) => !/^(import|export) /m.test(b.code))
    .map((b) => `${b.file}:${b.line}: no import: mark it <!-- fragment --> or complete it`);
  expect([...scripts, ...problems]).toEqual([]);
}, 90_000);
