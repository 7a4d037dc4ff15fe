import { defineConfig } from 'tsup';

/**
 * The build every published package shares (its `tsup.config.ts` is this call): ES module and
 * CommonJS, each with its declarations and source maps, for Node 20. `src/index.ts` is always
 * an entry; `entries` adds the package's others (a CLI, a subpath), each built to
 * `dist/<name>.{js,cjs,d.ts,d.cts}`.
 *
 * @example
 * ```ts
 * // packages/emulator/tsup.config.ts
 * import { packageBuild } from '../../tsup.base';
 * export default packageBuild(['src/cli.ts']);
 * ```
 */
export function packageBuild(
  entries: readonly string[] = [],
  options: { splitting?: boolean } = {},
): ReturnType<typeof defineConfig> {
  return defineConfig({
    entry: ['src/index.ts', ...entries],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    ...options,
  });
}
