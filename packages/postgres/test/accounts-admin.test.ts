// Deletion, disabling and the admin listing against PostgreSQL's store (the contract is in
// @socialauth/testkit; core runs it against memory and Redis).
import { runAdminContract } from '@socialauth/testkit';
import { postgresBackend } from './backend';

runAdminContract([postgresBackend()]);
