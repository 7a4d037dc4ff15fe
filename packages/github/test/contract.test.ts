import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { runProviderContract } from '@socialauth/testkit';
import { github } from '../src';

runProviderContract({
  provider: 'github',
  plugin: (emulator) =>
    github({ ...DEFAULT_CLIENTS.github, origin: emulator.origin, expiringTokens: true }),
  profilePath: '/user',
  badTokenFault: { kind: 'status', status: 401, body: '{"message":"Bad credentials"}' },
});
