// The TypeScript blocks of every README, for consumer/run.mjs to type-check as a user's code.
// Convention: a ```ts block is a whole ES module that must compile against the installed packages
// unless the last non-blank line above it is `<!-- fragment -->` (a piece of a larger program:
// `socialAuth({ ..., providers })`, a route body). packages/core/test/readme.test.ts runs this
// file and checks that every block is one or the other.
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const FRAGMENT = '<!-- fragment -->';

/** README.md and README.ko.md, then each package's and example's README, relative to the root. */
export function readmeFiles(root = ROOT) {
  const files = ['README.md', 'README.ko.md'].filter((f) => fs.existsSync(path.join(root, f)));
  for (const parent of ['packages', 'examples']) {
    for (const dir of fs.readdirSync(path.join(root, parent)).sort()) {
      const file = path.join(parent, dir, 'README.md');
      if (fs.existsSync(path.join(root, file))) files.push(file);
    }
  }
  return files;
}

/**
 * Every ```ts (or ```typescript) block: `{ file, line, name, fragment, code }`, where `name` is
 * a file name to compile it under (`README-2.ts`, `core-1.ts`) and `line` is the fence's line.
 */
export function readmeBlocks(root = ROOT) {
  const blocks = [];
  for (const file of readmeFiles(root)) {
    const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
    const stem =
      path.dirname(file) === '.' ? path.basename(file, '.md') : path.basename(path.dirname(file));
    let count = 0;
    for (let i = 0; i < lines.length; i++) {
      const fence = /^(\s*)(`{3,})(ts|typescript)\s*$/.exec(lines[i]);
      if (!fence) {
        // Any other fenced block is skipped whole, so a ```ts inside it is not taken for one.
        const other = /^\s*(`{3,})/.exec(lines[i]);
        if (other) while (++i < lines.length && !lines[i].trim().startsWith(other[1]));
        continue;
      }
      let above = i - 1;
      while (above >= 0 && lines[above].trim() === '') above--;
      let end = i + 1;
      while (end < lines.length && lines[end].trim() !== fence[2]) end++;
      count += 1;
      blocks.push({
        file,
        line: i + 1,
        name: `${stem}-${count}.ts`,
        fragment: above >= 0 && lines[above].trim() === FRAGMENT,
        code: lines.slice(i + 1, end).join('\n') + '\n',
      });
      i = end;
    }
  }
  return blocks;
}

// `node consumer/readme-blocks.mjs` prints the blocks as JSON (for the jest test).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(readmeBlocks()) + '\n');
}
