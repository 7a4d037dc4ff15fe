/**
 * @socialauth/testkit: the workspace's shared test helpers, private (never packed or
 * published). Every package's tests import them by this name, never by a path into another
 * package's folder.
 *
 * - the harness: an app on a real port signing in against a real emulator (`startHarness`), and
 *   the three-provider accounts harness (`startAccountsHarness`);
 * - the contract suites: the provider contract (`runProviderContract`) and the store contract
 *   (`runStoreContract` and its end-to-end parts), run against the backends a package brings;
 * - throwaway servers of the calling test file: Redis, a Redis Cluster, PostgreSQL and a
 *   certified OpenID provider (oidc-provider).
 *
 * The workspace packages it imports (core, emulator, google, kakao, naver) are not in its
 * package.json: their own tests use it, so declaring them would make a dependency cycle. Jest's
 * moduleNameMapper and tsconfig.base.json's paths resolve them to their sources, as they do for
 * every test.
 * @packageDocumentation
 */
export * from './harness';
export * from './accounts-harness';
export * from './provider-contract';
export * from './stores/account-stores';
export * from './stores/store-contract';
export * from './stores/identities';
export * from './stores/rules-contract';
export * from './stores/email-key-contract';
export * from './stores/profile-fields-contract';
export * from './stores/provider-data-contract';
export * from './redis-server';
export * from './redis-cluster';
export * from './postgres-server';
export * from './openid-provider';
export * from './stores/admin-contract';
