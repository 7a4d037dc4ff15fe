import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from 'jest';

// One project per workspace folder with tests (packages/*, examples/*). Tests import the
// packages' TypeScript sources directly (moduleNameMapper), so `pnpm test` needs no build step.
// Both lists are read from the folders, so a new package needs no line here.

interface Workspace {
  /** `packages/core`, `examples/basic`. */
  folder: string;
  /** Its folder name: `core`, `basic`. */
  dir: string;
  /** Its package.json's name and subpath exports (`./provider` is src/provider.ts). */
  name: string;
  subpaths: string[];
}

function workspaces(parent: string): Workspace[] {
  return readdirSync(join(__dirname, parent), { withFileTypes: true })
    .filter((entry) => existsSync(join(__dirname, parent, entry.name, 'package.json')))
    .map((entry) => {
      const folder = `${parent}/${entry.name}`;
      const manifest = JSON.parse(
        readFileSync(join(__dirname, folder, 'package.json'), 'utf8'),
      ) as {
        name: string;
        exports?: Record<string, unknown>;
      };
      const subpaths = Object.keys(manifest.exports ?? {})
        .filter((key) => key !== '.' && !key.endsWith('.json'))
        .map((key) => key.slice('./'.length));
      return { folder, dir: entry.name, name: manifest.name, subpaths };
    });
}

const packages = workspaces('packages');
const examples = workspaces('examples');
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `@socialauth/<name>` and its subpaths, to the package's sources. */
const moduleNameMapper = Object.fromEntries(
  packages.flatMap(({ folder, name, subpaths }) => [
    [`^${escape(name)}$`, `<rootDir>/${folder}/src/index.ts`],
    ...subpaths.map((sub) => [
      `^${escape(`${name}/${sub}`)}$`,
      `<rootDir>/${folder}/src/${sub}.ts`,
    ]),
  ]),
);

const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        tsconfig: {
          module: 'commonjs',
          moduleResolution: 'node10',
          target: 'ES2022',
          strict: true,
          noUncheckedIndexedAccess: true,
          esModuleInterop: true,
          skipLibCheck: true,
          isolatedModules: true,
          types: ['node', 'jest'],
        },
      },
    ],
  },
  moduleNameMapper,
} satisfies Config;

const project = (displayName: string, folder: string) => ({
  ...shared,
  displayName,
  rootDir: '.',
  testMatch: [`<rootDir>/${folder}/test/**/*.test.ts`],
});

const config: Config = {
  testTimeout: 20_000,
  projects: [
    ...packages
      .filter(({ folder }) => existsSync(join(__dirname, folder, 'test')))
      .map(({ dir, folder }) => project(dir, folder)),
    ...examples.map(({ dir, folder }) => project(`example-${dir}`, folder)),
  ],
};

export default config;
