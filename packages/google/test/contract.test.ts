import { DEFAULT_CLIENTS } from '@socialauth/emulator';
import { runProviderContract } from '@socialauth/testkit';
import { google } from '../src';

runProviderContract({
  provider: 'google',
  plugin: (emulator) =>
    google({ ...DEFAULT_CLIENTS.google, origin: emulator.origin, accessType: 'offline' }),
  profilePath: '/v1/userinfo',
  badTokenFault: {
    kind: 'status',
    status: 401,
    body: '{"error":"invalid_request","error_description":"Invalid Credentials"}',
  },
});
