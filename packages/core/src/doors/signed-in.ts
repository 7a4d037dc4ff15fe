import type { Request } from 'express';
import type { ResolvedConfig } from '../config';
import type { SocialProfile } from '../contract';
import type { Store } from 'express-session';
import { compactSerializer } from '../session/compact';
import { regenerate, saveOnce } from '../session/middleware';
import { isCluster } from '../session/redis-client';
import { isRedisSessionStore } from '../session/redis-store';
import { markSaved, trackSaves } from '../session/session-layer';
import type { IndexedSession } from '../session/user-sessions';
import type { SocialAuthSessionData, SocialAuthUser } from '../types';
import type { FlowContext } from '../flow/context';

/**
 * Stores a completed sign-in (the browser callback's and an app's token sign-in alike): a new
 * session id (session fixation, CVE-2022-25896), its lifetime, and its entry in the user's session
 * list so that disconnect and "sign out everywhere" can end it. Saved before the caller answers.
 */
export async function storeSignedIn(
  req: Request,
  { session, user }: { session: SocialAuthSessionData; user: SocialAuthUser },
  profile: SocialProfile,
  deps: {
    config: Pick<ResolvedConfig, 'maxAge' | 'maxLifetime'>;
    flow: Pick<FlowContext, 'index' | 'users' | 'sessions'>;
    now: number;
  },
): Promise<void> {
  const { index, users, sessions } = deps.flow;
  await users.changed(user, deps.now);
  const store = req.sessionStore;
  const oldId = req.sessionID;
  // One Redis round trip (a redisSession on one server, the index beside it): the new session,
  // the old one's end and the index entry in one MULTI. Elsewhere: regenerate, index, save.
  // (Only the number of round trips depends on the store here, never a guarantee.)
  const together = isRedisSessionStore(store) && store.redis === index.redis;
  const oneTrip = together && !isCluster(store.redis);
  if (oneTrip) (store as Store & { generate(req: Request): void }).generate(req);
  else await regenerate(req);
  req.session.socialauth = session;
  req.session.cookie.maxAge = Math.min(deps.config.maxAge, deps.config.maxLifetime);
  const device = req.get('user-agent')?.slice(0, 160);
  const entry = {
    sid: req.sessionID,
    provider: profile.provider,
    subject: profile.id,
    ...(device && { device }),
    createdAt: deps.now,
    lastSeenAt: deps.now,
  };
  const userId = session.user!.id;
  // A user past the cap signs the oldest sessions out: ended first, then unlisted, so nothing
  // alive ever leaves the index (SECURITY.md "Revocation").
  const endEvicted = async (evicted: IndexedSession[]) => {
    await sessions.end(evicted);
    await Promise.all(evicted.map((s) => index.remove(userId, s.sid)));
  };
  if (!oneTrip) {
    await endEvicted(await index.add(userId, entry));
    return saveOnce(req);
  }
  trackSaves(req.session);
  const seconds = Math.ceil(((req.session.cookie.expires?.getTime() ?? 0) - Date.now()) / 1000);
  const evicted = await index.add(userId, entry, (tx) => {
    // Session fixation (CWE-384, OWASP): the id from before the sign-in ends with it.
    if (oldId) tx.del(store.prefix + oldId);
    tx.set(store.prefix + req.sessionID, compactSerializer.stringify(req.session), 'EX', seconds);
  });
  markSaved(req.session);
  await endEvicted(evicted);
}
