import { MemoryStore } from 'express-session';
import { isMemoryAccounts } from './accounts/memory';
import { isMemoryCoordination } from './coordination/memory';
import { isLoopbackHost } from './net/back-channel';
import { isRedisSessionStore } from './session/redis-store';

interface ProductionInput {
  baseURL?: unknown;
  session?: { store?: unknown };
  accounts?: unknown;
  coordination?: unknown;
  singleInstance?: unknown;
}

/**
 * With `NODE_ENV=production`, what would lose data or leak the session cookie: a memory session
 * or account store (passed or defaulted), an `http:` baseURL other than localhost. One line per
 * problem, each naming the option and what to pass; never a value from the config.
 */
export function productionProblems(input: ProductionInput | undefined): string[] {
  if (process.env.NODE_ENV !== 'production') return [];
  const lines: string[] = [];
  const base = typeof input?.baseURL === 'string' && URL.canParse(input.baseURL);
  const url = base ? new URL(input!.baseURL as string) : undefined;
  if (url?.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    lines.push(
      'baseURL: an http address sends the session cookie in clear text; with NODE_ENV=production ' +
        "pass the site's https origin, like https://app.example.com (behind a TLS proxy, also " +
        "call app.set('trust proxy', 1))",
    );
  }
  const store = input?.session?.store;
  if (!store || store instanceof MemoryStore) {
    lines.push(
      'session.store: the memory store is for development and loses every session on restart; ' +
        'with NODE_ENV=production pass session: { store: redisSession({ url: process.env.REDIS_URL }) } ' +
        '(or another express-session store)',
    );
  }
  // SECURITY.md "Revocation": a shared session store means several instances; with coordination
  // in one process, sign-out everywhere, disconnect and webhooks would end sessions on one of
  // them only, and state claims and refresh locks would be per instance.
  const shared = store !== undefined && !(store instanceof MemoryStore);
  const local =
    input?.coordination === undefined
      ? !isRedisSessionStore(store)
      : isMemoryCoordination(input.coordination);
  if (shared && local && input?.singleInstance !== true) {
    lines.push(
      'coordination: the session store is shared by instances, but sign-out everywhere, ' +
        'single-use sign-in state, refresh locks, rate limits and the user cache would stay in ' +
        'each process; with NODE_ENV=production pass coordination: redisCoordination({ url: ' +
        'process.env.REDIS_URL }) (or a redisSession store), or singleInstance: true if the app ' +
        'runs as one process',
    );
  }
  if (!input?.accounts || isMemoryAccounts(input.accounts)) {
    lines.push(
      'accounts: the memory account store forgets every user on restart; with NODE_ENV=production ' +
        'pass accounts: redisAccounts({ url: process.env.REDIS_URL }) or your own AccountStore',
    );
  }
  return lines;
}
