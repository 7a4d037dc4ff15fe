import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { runProviderContract } from '@socialauth/testkit';
import { naver } from '../src';

runProviderContract({
  provider: 'naver',
  plugin: (emulator) => naver({ ...DEFAULT_CLIENTS.naver, origin: emulator.origin }),
  profilePath: '/v1/nid/me',
  badTokenFault: {
    kind: 'status',
    status: 401,
    body: '{"resultcode":"024","message":"Authentication failed"}',
  },
});
