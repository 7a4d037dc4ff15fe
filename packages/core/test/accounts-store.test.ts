// The account store contract (@socialauth/testkit) against core's stores, memory and Redis:
// the two must be interchangeable. PostgreSQL's store runs it in packages/postgres/test.
import { memoryBackend, redisBackend, runStoreContract } from '@socialauth/testkit';

runStoreContract([memoryBackend(), redisBackend()]);
