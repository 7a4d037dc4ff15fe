import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { runProviderContract } from '@socialauth/testkit';
import { microsoft } from '../src';

// The profile is the ID token (no badTokenFault: userinfo is never called); Microsoft has no
// revocation endpoint.
runProviderContract({
  provider: 'microsoft',
  plugin: (emulator) => microsoft({ ...DEFAULT_CLIENTS.microsoft, origin: emulator.origin }),
  profilePath: '/oidc/userinfo',
  noRevocation: true,
});
