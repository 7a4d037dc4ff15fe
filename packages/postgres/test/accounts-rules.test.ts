// The account rules, end to end through the routes, against PostgreSQL's store.
// The suite is in @socialauth/testkit; core runs it against memory and Redis.
import { runAccountRulesContract } from '@socialauth/testkit';
import { postgresBackend } from './backend';

runAccountRulesContract([postgresBackend()]);
