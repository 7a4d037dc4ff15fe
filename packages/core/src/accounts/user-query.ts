import { SocialAuthError } from '../errors';
import type { AccountStore, StoredUser, UserPage, UserQuery } from './types';

/**
 * The one page of an `email` query, as every store answers it: the user whose verified email it
 * is, if any.
 */
export async function emailPage(
  store: Pick<AccountStore, 'findUserByVerifiedEmail'>,
  email: string,
): Promise<UserPage> {
  const user = await store.findUserByVerifiedEmail(email);
  return { users: user ? [user] : [] };
}

/** Users per page when the query names none, and the most one page may hold. */
export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

/** A {@link UserQuery} checked: which listing, how many, and from where. */
export type CheckedQuery =
  | { by: 'all'; limit: number; after?: { createdAt: string; id: string } }
  | { by: 'email'; email: string }
  | { by: 'provider'; provider: string; subject?: string; limit: number; after?: string };

const bad = (message: string): never => {
  throw new SocialAuthError('invalid_request', message);
};

/**
 * Every store's reading of a {@link UserQuery}, so the three agree on what is valid: one filter
 * at most, a limit of 1 to 100, and a cursor this module wrote for the same listing.
 *
 * @example
 * ```ts
 * checkQuery({ provider: 'kakao', limit: 50 }); // { by: 'provider', provider: 'kakao', limit: 50 }
 * ```
 */
export function checkQuery(query: UserQuery): CheckedQuery {
  const { email, provider, subject, cursor } = query;
  const limit = query.limit ?? DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    bad(`listUsers: limit must be an integer from 1 to ${MAX_PAGE}`);
  }
  for (const [name, value] of Object.entries({ email, provider, subject, cursor })) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      bad(`listUsers: ${name} must be a non-empty string`);
    }
  }
  if (subject !== undefined && provider === undefined) bad('listUsers: subject needs provider');
  if (email !== undefined && provider !== undefined) bad('listUsers: filter by email or provider');
  if (email !== undefined) return { by: 'email', email };
  const after = cursor === undefined ? undefined : readCursor(cursor);
  if (provider !== undefined) {
    if (after !== undefined && after[0] !== 'p') bad('listUsers: the cursor is for another list');
    return {
      by: 'provider',
      provider,
      ...(subject !== undefined && { subject }),
      limit,
      ...(after && { after: after[1] }),
    };
  }
  if (after !== undefined && (after[0] !== 'u' || after[2] === undefined)) {
    bad('listUsers: the cursor is for another list');
  }
  return { by: 'all', limit, ...(after && { after: { createdAt: after[1], id: after[2]! } }) };
}

function readCursor(cursor: string): [string, string, string?] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.every((v) => typeof v === 'string') && value.length >= 2) {
      return value as [string, string, string?];
    }
  } catch {
    // reported below
  }
  return bad('listUsers: the cursor is not one listUsers gave');
}

/** The cursor after `user` in the listing of every user (newest first). */
export const userCursor = (user: Pick<StoredUser, 'createdAt' | 'id'>): string =>
  Buffer.from(JSON.stringify(['u', user.createdAt, user.id])).toString('base64url');

/** The cursor after `subject` in a provider's listing. */
export const subjectCursor = (subject: string): string =>
  Buffer.from(JSON.stringify(['p', subject])).toString('base64url');

/**
 * Newest first, and among users created in the same millisecond by id (descending): the order
 * every store lists in, and the one the `all` cursor continues.
 */
export function newestFirst(
  a: Pick<StoredUser, 'createdAt' | 'id'>,
  b: Pick<StoredUser, 'createdAt' | 'id'>,
): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** True when `user` comes after the cursor position in the newest-first order. */
export const isAfter = (user: StoredUser, after: { createdAt: string; id: string }): boolean =>
  newestFirst(user, after) > 0;
