import { startExample } from './example';

// `pnpm start`: the example on http://localhost:3000. Everything is optional:
//   PORT              the port to listen on (default 3000)
//   BASE_URL          the public origin callback URLs are built from (default
//                     http://localhost:$PORT); instances behind one address share it
//   EMULATOR_PORT     the provider emulator's port (default: any free one); instances given the
//                     same port share one emulator, started by the first of them
//   REDIS_URL         sessions, users and rate limits in Redis instead of memory
//   DATABASE_URL      users in PostgreSQL (postgres://user:password@host:5432/db), migrated at
//                     start-up; sessions stay in memory, or in Redis with REDIS_URL
//   REDIS_CLUSTER     sessions (and users, without DATABASE_URL) on a Redis Cluster instead:
//                     seed nodes, comma-separated (127.0.0.1:7001,127.0.0.1:7002)
//   OIDC_ISSUER       one more provider by OpenID Connect discovery (with OIDC_CLIENT_ID and
//                     OIDC_CLIENT_SECRET); `emulator` for the emulator's Google as a generic one
//   SESSION_SECRET    32+ characters; instances that share sessions need the same one
//   <NAME>_CLIENT_ID and <NAME>_CLIENT_SECRET (GOOGLE_, NAVER_, KAKAO_): the real provider
const env = (name: string) => process.env[name] || undefined;

function port(name: string, fallback: number): number {
  const value = env(name);
  const number = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535) {
    console.error(`${name} must be a port number (0-65535)`);
    process.exit(2);
  }
  return number;
}

const example = await startExample({
  port: port('PORT', 3000),
  baseURL: env('BASE_URL'),
  emulatorPort: port('EMULATOR_PORT', 0),
  redisURL: env('REDIS_URL'),
  databaseURL: env('DATABASE_URL'),
  redisCluster: env('REDIS_CLUSTER')?.split(','),
  oidcIssuer: env('OIDC_ISSUER'),
  secret: env('SESSION_SECRET'),
});
const stop = () => void example.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
