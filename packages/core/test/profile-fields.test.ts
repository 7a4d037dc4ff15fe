// Issue 17, "Profile fields": a provider's profile is cleaned and capped in core before any
// store sees it. The suite is in @socialauth/testkit, run here against core's stores and in
// packages/postgres/test against PostgreSQL's (where a NUL once failed every sign-in).
import { memoryBackend, redisBackend, runProfileFieldsContract } from '@socialauth/testkit';

runProfileFieldsContract([memoryBackend(), redisBackend()]);
