// The account rules (allauth's), end to end through the routes, against core's stores (the
// suite is in @socialauth/testkit; PostgreSQL's store runs it in packages/postgres/test).
import { memoryBackend, redisBackend, runAccountRulesContract } from '@socialauth/testkit';

runAccountRulesContract([memoryBackend(), redisBackend()]);
