export { approveConsent } from './approve';
export type { ConsentItem } from './consent';
export { DEFAULT_CLIENTS, DEFAULT_USERS } from './defaults';
export type { Fault } from './faults';
export type { IdTokenOverride, IdTokenProvider } from './id-token-claims';
export type { IdTokenSignatureFault } from './keys';
export { startEmulator } from './server';
export type { KakaoReferrerType } from './unlink-notify';
export type {
  Emulator,
  EmulatorClient,
  EmulatorEndpoint,
  EmulatorLogger,
  EmulatorOptions,
  GoogleUser,
  KakaoUser,
  NaverUser,
  ProviderName,
  ProviderUsers,
} from './types';
