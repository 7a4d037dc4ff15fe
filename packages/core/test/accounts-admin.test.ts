// Deletion, disabling and the admin listing (@socialauth/testkit's contract) against core's
// stores, memory and Redis; PostgreSQL's store runs it in packages/postgres/test.
import { memoryBackend, redisBackend, runAdminContract } from '@socialauth/testkit';

runAdminContract([memoryBackend(), redisBackend()]);
