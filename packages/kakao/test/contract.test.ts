import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { runProviderContract } from '@socialauth/testkit';
import { kakao } from '../src';

runProviderContract({
  provider: 'kakao',
  plugin: (emulator) => kakao({ ...DEFAULT_CLIENTS.kakao, origin: emulator.origin }),
  profilePath: '/v2/user/me',
  badTokenFault: {
    kind: 'status',
    status: 401,
    body: '{"msg":"this access token does not exist","code":-401}',
  },
});
