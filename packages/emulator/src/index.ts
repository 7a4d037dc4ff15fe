export { approveConsent, approveConsentResponse, type AuthorizationResponse } from './approve';
export type { ConsentItem } from './consent';
export { DEFAULT_CLIENTS, DEFAULT_USERS } from './defaults';
export type { Fault } from './faults';
export type { IdTokenOverride, IdTokenProvider } from './id-token-claims';
export type { IdTokenSignatureFault } from './keys';
export { startEmulator } from './server';
export type { SignInAgent, SignInOptions, SignInPage, SignInResult } from './sign-in';
export type { Emulator, EmulatorOptions } from './emulator';
export type { KakaoReferrerType } from './providers/kakao/unlink';
export type { AppleNotificationType } from './providers/apple';
export { CONSUMER_TENANT, CONTOSO, FABRIKAM } from './providers/microsoft';
export type { EmulatorClient, EmulatorEndpoint, EmulatorLogger, ProviderName } from './types';
export type {
  AppleUser,
  GitHubUser,
  GoogleUser,
  KakaoUser,
  LineUser,
  MicrosoftUser,
  NaverUser,
  ProviderUsers,
} from './users';
