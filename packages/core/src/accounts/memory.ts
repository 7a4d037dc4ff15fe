import { randomUUID } from 'node:crypto';
import { SocialAuthError } from '../errors';
import { mergeScopes } from './scopes';
import { emailKey } from './email';
import type { AccountStore, NewIdentity, NewUser, StoredIdentity, StoredUser } from './types';
import {
  checkQuery,
  emailPage,
  isAfter,
  newestFirst,
  subjectCursor,
  userCursor,
} from './user-query';

/** JSON keeps (provider, subject) pairs apart whatever characters either holds. */
const identityKey = (provider: string, subject: string): string =>
  JSON.stringify([provider, subject]);

/**
 * Copies only the known fields and drops `undefined` ones, so a memory store hands back exactly
 * what a Redis store would (a hash cannot hold `undefined`) and callers never hold our objects.
 */
function cleanUser(user: StoredUser): StoredUser {
  const { id, name, email, avatarUrl, createdAt, disabledAt } = user;
  return {
    id,
    ...(name !== undefined && { name }),
    ...(email !== undefined && { email }),
    ...(avatarUrl !== undefined && { avatarUrl }),
    createdAt,
    ...(disabledAt !== undefined && { disabledAt }),
  };
}

/** Like {@link cleanUser}, for identities. */
function cleanIdentity(identity: StoredIdentity): StoredIdentity {
  const {
    userId,
    provider,
    subject,
    email,
    emailVerified,
    linkedAt,
    tokens,
    needsReauth,
    profile,
    scopes,
  } = identity;
  return {
    userId,
    provider,
    subject,
    ...(email !== undefined && { email }),
    emailVerified,
    linkedAt,
    ...(tokens !== undefined && { tokens }),
    ...(needsReauth !== undefined && { needsReauth }),
    ...(profile !== undefined && { profile }),
    ...(scopes !== undefined &&
      scopes.length > 0 && { scopes: mergeScopes([], { grant: scopes }) }),
  };
}

/** The stores {@link memoryAccounts} made: refused with `NODE_ENV=production`. */
const memoryStores = new WeakSet<object>();

/** True for a store made by {@link memoryAccounts}. */
export function isMemoryAccounts(store: unknown): boolean {
  return typeof store === 'object' && store !== null && memoryStores.has(store);
}

/**
 * An {@link AccountStore} in process memory: for development and tests only, since it forgets
 * everything on restart and is not shared between processes.
 *
 * Every call runs to completion without awaiting anything, so `createUser`, `link` and `unlink`
 * are atomic for free. A verified email belongs to the first user that claims it: a later user
 * with the same address does not take over {@link AccountStore.findUserByVerifiedEmail}.
 * `updateUser` and `saveTokens` do nothing for a user or identity that does not exist.
 *
 * @example
 * ```ts
 * const accounts = memoryAccounts();
 * const identity = { provider: 'google', subject: '1234', emailVerified: true };
 * const { user, created } = await accounts.createUser({ name: 'Ada' }, identity);
 * await accounts.findIdentity('google', '1234'); // { userId: user.id, ... }
 * ```
 */
export function memoryAccounts(): AccountStore {
  const users = new Map<string, StoredUser>();
  const identities = new Map<string, StoredIdentity>();
  /** Identity keys per user, oldest first: listing and the last-identity check need no scan. */
  const owned = new Map<string, string[]>();
  const emails = new Map<string, string>();

  const claimEmail = (email: string, userId: string): void => {
    const key = emailKey(email);
    if (!emails.has(key)) emails.set(key, userId);
  };

  const insertIdentity = (userId: string, identity: NewIdentity): StoredIdentity => {
    const stored = cleanIdentity({ ...identity, userId, linkedAt: new Date().toISOString() });
    const key = identityKey(identity.provider, identity.subject);
    identities.set(key, stored);
    owned.set(userId, [...(owned.get(userId) ?? []), key]);
    return cleanIdentity(stored);
  };

  const store: AccountStore = {
    async findIdentity(provider, subject) {
      const identity = identities.get(identityKey(provider, subject));
      return identity && cleanIdentity(identity);
    },

    async findUserByVerifiedEmail(email) {
      const userId = emails.get(emailKey(email));
      const user = userId === undefined ? undefined : users.get(userId);
      return user && cleanUser(user);
    },

    async getUser(userId) {
      const user = users.get(userId);
      return user && cleanUser(user);
    },

    async createUser(user: NewUser, identity: NewIdentity) {
      const existing = identities.get(identityKey(identity.provider, identity.subject));
      const owner = existing && users.get(existing.userId);
      if (existing && owner) {
        return { user: cleanUser(owner), identity: cleanIdentity(existing), created: false };
      }
      const stored = cleanUser({ ...user, id: randomUUID(), createdAt: new Date().toISOString() });
      users.set(stored.id, stored);
      if (stored.email !== undefined) claimEmail(stored.email, stored.id);
      const linked = insertIdentity(stored.id, identity);
      return { user: cleanUser(stored), identity: linked, created: true };
    },

    async link(userId, identity) {
      const existing = identities.get(identityKey(identity.provider, identity.subject));
      if (existing?.userId === userId) return cleanIdentity(existing);
      if (existing) throw new SocialAuthError('identity_in_use');
      // A bug in the caller, not a user-facing condition: an orphan identity would log in no one.
      if (!users.has(userId)) throw new Error(`link: there is no user ${userId}`);
      return insertIdentity(userId, identity);
    },

    async unlink(userId, provider, subject) {
      const key = identityKey(provider, subject);
      const existing = identities.get(key);
      if (existing?.userId !== userId) return undefined;
      const keys = owned.get(userId) ?? [];
      if (keys.length <= 1) throw new SocialAuthError('last_identity');
      identities.delete(key);
      owned.set(
        userId,
        keys.filter((k) => k !== key),
      );
      return cleanIdentity(existing);
    },

    async listIdentities(userId) {
      return (owned.get(userId) ?? []).flatMap((key) => {
        const identity = identities.get(key);
        return identity ? [cleanIdentity(identity)] : [];
      });
    },

    async saveTokens(provider, subject, tokens, needsReauth) {
      const identity = identities.get(identityKey(provider, subject));
      if (!identity) return;
      identities.set(
        identityKey(provider, subject),
        cleanIdentity({ ...identity, tokens, needsReauth }),
      );
    },

    async saveProfile(provider, subject, profile) {
      const identity = identities.get(identityKey(provider, subject));
      if (!identity) return;
      identities.set(identityKey(provider, subject), cleanIdentity({ ...identity, profile }));
    },

    async updateScopes(provider, subject, change) {
      const identity = identities.get(identityKey(provider, subject));
      if (!identity) return undefined;
      const scopes = mergeScopes(identity.scopes, change);
      identities.set(identityKey(provider, subject), cleanIdentity({ ...identity, scopes }));
      return [...scopes];
    },

    async updateUser(userId, fields) {
      const user = users.get(userId);
      if (!user) return;
      const { name, email, avatarUrl } = fields;
      if (email !== undefined) {
        // The index moves with the user's email, but never takes an address another user holds.
        const old = user.email === undefined ? undefined : emailKey(user.email);
        if (old !== undefined && emails.get(old) === userId) emails.delete(old);
        claimEmail(email, userId);
      }
      const next = { ...user };
      if (name !== undefined) next.name = name;
      if (email !== undefined) next.email = email;
      if (avatarUrl !== undefined) next.avatarUrl = avatarUrl;
      users.set(userId, cleanUser(next));
    },

    async deleteUser(userId) {
      const user = users.get(userId);
      if (!user) return undefined;
      // Nothing awaited from here on: two deletions at once cannot both find the user.
      const removed = (owned.get(userId) ?? []).flatMap((key) => {
        const identity = identities.get(key);
        identities.delete(key);
        return identity ? [cleanIdentity(identity)] : [];
      });
      owned.delete(userId);
      for (const [key, owner] of emails) if (owner === userId) emails.delete(key);
      users.delete(userId);
      return { user: cleanUser(user), identities: removed };
    },

    async setDisabled(userId, disabled) {
      const user = users.get(userId);
      if (!user) return false;
      const disabledAt = disabled ? (user.disabledAt ?? new Date().toISOString()) : undefined;
      users.set(userId, cleanUser({ ...user, disabledAt }));
      return true;
    },

    // A scan of the whole map: this store is for development and tests, where that is fine.
    async listUsers(query) {
      const q = checkQuery(query);
      if (q.by === 'email') return emailPage(store, q.email);
      if (q.by === 'provider') {
        const { provider, subject, after } = q;
        const found = [...identities.values()]
          .filter(
            (i) => i.provider === provider && (subject === undefined || i.subject === subject),
          )
          .filter((i) => after === undefined || i.subject > after)
          .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0))
          .slice(0, q.limit + 1);
        const page = found.slice(0, q.limit).flatMap((i) => {
          const user = users.get(i.userId);
          return user ? [cleanUser(user)] : [];
        });
        const last = found[q.limit - 1];
        return {
          users: page,
          ...(found.length > q.limit && last && { next: subjectCursor(last.subject) }),
        };
      }
      const { after } = q;
      const sorted = [...users.values()]
        .filter((u) => after === undefined || isAfter(u, after))
        .sort(newestFirst)
        .slice(0, q.limit + 1);
      const page = sorted.slice(0, q.limit).map(cleanUser);
      const last = page[page.length - 1];
      return { users: page, ...(sorted.length > q.limit && last && { next: userCursor(last) }) };
    },
  };
  memoryStores.add(store);
  return store;
}
