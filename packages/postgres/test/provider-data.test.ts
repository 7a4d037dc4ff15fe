// The stored provider data against PostgreSQL's store.
// The suite is in @socialauth/testkit; core runs it against memory and Redis.
import { runProviderDataContract } from '@socialauth/testkit';
import { postgresBackend } from './backend';

runProviderDataContract([postgresBackend()]);
