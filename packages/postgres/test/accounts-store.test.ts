// The account store contract against PostgreSQL's store.
// The suite is in @socialauth/testkit; core runs it against memory and Redis.
import { runStoreContract } from '@socialauth/testkit';
import { postgresBackend } from './backend';

runStoreContract([postgresBackend()]);
