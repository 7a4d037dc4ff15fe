import type { PendingLink } from '../accounts/rules';

/** A pending link lives ten minutes, like a sign-in in flight. */
const PENDING_LINK_TTL_MS = 10 * 60 * 1000;

/** The live pending link whose id is `id`, if that is what the session holds. */
export function pendingLinkFor(
  id: unknown,
  link: PendingLink | undefined,
): PendingLink | undefined {
  const live = livePendingLink(link);
  return typeof id === 'string' && live?.id === id ? live : undefined;
}

/** A pending link, unless it is older than ten minutes (then it is as good as gone). */
export function livePendingLink<T extends { createdAt: number }>(
  link: T | undefined,
): T | undefined {
  return link && Date.now() - link.createdAt < PENDING_LINK_TTL_MS ? link : undefined;
}
