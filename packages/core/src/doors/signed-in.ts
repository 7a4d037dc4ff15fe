import type { Request } from 'express';
import type { ResolvedConfig } from '../config';
import type { SocialProfile } from '../provider/contract';
import { regenerate, saveOnce } from '../session/middleware';
import type { SessionIndex } from '../session/user-sessions';
import type { SocialAuthSessionData, SocialAuthUser } from '../types';
import type { UserCache } from '../accounts/user-cache';

/**
 * Stores a completed sign-in (the browser callback's and an app's token sign-in alike): a new
 * session id (session fixation, CVE-2022-25896), its lifetime, and its entry in the user's session
 * list so that disconnect and "sign out everywhere" can end it. Saved before the caller answers.
 */
export async function storeSignedIn(
  req: Request,
  { session, user }: { session: SocialAuthSessionData; user: SocialAuthUser },
  profile: SocialProfile,
  deps: { config: ResolvedConfig; index: SessionIndex; users: UserCache; now: number },
): Promise<void> {
  deps.users.put(user, deps.now);
  await regenerate(req);
  req.session.socialauth = session;
  req.session.cookie.maxAge = Math.min(deps.config.maxAge, deps.config.maxLifetime);
  const device = req.get('user-agent')?.slice(0, 160);
  await deps.index.add(session.user!.id, {
    sid: req.sessionID,
    provider: profile.provider,
    subject: profile.id,
    ...(device && { device }),
    createdAt: deps.now,
    lastSeenAt: deps.now,
  });
  await saveOnce(req);
}
