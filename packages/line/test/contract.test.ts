import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { runProviderContract } from '@socialauth/testkit';
import { line } from '../src';

// The profile is the HS256 ID token (no badTokenFault: /v2/profile is never called for it);
// tokens are checked against /v2/profile.
runProviderContract({
  provider: 'line',
  plugin: (emulator) => line({ ...DEFAULT_CLIENTS.line, origin: emulator.origin }),
  profilePath: '/v2/profile',
});
