import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', provider: 'src/kit.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  // One copy of core's modules for both entries in CJS too: a SocialAuthError thrown through the
  // kit is the one core's `instanceof` knows.
  splitting: true,
  target: 'node20',
});
