export { approveConsent } from './approve';
export { DEFAULT_CLIENTS, DEFAULT_USERS } from './defaults';
export { startEmulator } from './server';
export type {
  Emulator,
  EmulatorClient,
  EmulatorEndpoint,
  EmulatorOptions,
  GoogleUser,
  ProviderName,
} from './types';
