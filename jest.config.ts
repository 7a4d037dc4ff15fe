import type { Config } from 'jest';

// One project per workspace package. Tests import the packages' TypeScript sources directly
// (moduleNameMapper), so `pnpm test` needs no build step.
const packages = ['core', 'google', 'naver', 'kakao', 'emulator', 'postgres'];

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
  moduleNameMapper: {
    '^@socialauth/core/provider$': '<rootDir>/packages/core/src/kit.ts',
    '^@socialauth/(core|google|naver|kakao|emulator|postgres)$':
      '<rootDir>/packages/$1/src/index.ts',
  },
} satisfies Config;

const config: Config = {
  testTimeout: 20_000,
  projects: [
    ...packages.map((name) => ({
      ...shared,
      displayName: name,
      rootDir: '.',
      testMatch: [`<rootDir>/packages/${name}/test/**/*.test.ts`],
    })),
    {
      ...shared,
      displayName: 'example-basic',
      rootDir: '.',
      testMatch: ['<rootDir>/examples/basic/test/**/*.test.ts'],
    },
  ],
};

export default config;
