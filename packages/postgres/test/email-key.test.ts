// The email-key rule (only ASCII letters fold) against PostgreSQL's store.
// The suite is in @socialauth/testkit; core runs it against memory and Redis.
import { runEmailKeyContract } from '@socialauth/testkit';
import { postgresBackend } from './backend';

runEmailKeyContract([postgresBackend()]);
