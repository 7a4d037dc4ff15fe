// Profile-field cleaning against PostgreSQL's store, where a NUL in a name once
// failed every sign-in.
// The suite is in @socialauth/testkit; core runs it against memory and Redis.
import { runProfileFieldsContract } from '@socialauth/testkit';
import { postgresBackend } from './backend';

runProfileFieldsContract([postgresBackend()]);
