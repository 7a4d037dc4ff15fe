/**
 * Account stores: where users and their linked social identities live.
 *
 * @example
 * ```ts
 * import { memoryAccounts, redisAccounts, type AccountStore } from './accounts';
 * const accounts: AccountStore = process.env.REDIS_URL
 *   ? redisAccounts({ url: process.env.REDIS_URL })
 *   : memoryAccounts();
 * ```
 * @packageDocumentation
 */
export { memoryAccounts } from './memory';
export { redisAccounts, type RedisAccountsOptions } from './redis';
export { providerData, PROVIDER_DATA_MAX_BYTES } from './provider-data';
export { emailKey } from './email';
export type {
  AccountStore,
  DeletedUser,
  NewIdentity,
  NewUser,
  StoredIdentity,
  StoredUser,
  UserPage,
  UserQuery,
} from './types';
