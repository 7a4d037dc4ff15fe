#!/usr/bin/env node
// The committed launcher of the built CLI: a workspace install links bins before anything is
// built, and a bin pointing into dist/ would warn that it cannot be created.
import('../dist/cli.js').catch((err) => {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
  console.error('socialauth-postgres is not built: run `pnpm build` in the workspace first.');
  process.exit(1);
});
