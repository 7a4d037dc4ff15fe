import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { runProviderContract } from '@socialauth/testkit';
import { apple } from '../src';

// Apple has no profile endpoint: the contract checks tokens by refreshing them, and the ID
// token (the profile) by leaving it out.
runProviderContract({
  provider: 'apple',
  plugin: (emulator) => apple({ ...DEFAULT_CLIENTS.apple, origin: emulator.origin }),
});
