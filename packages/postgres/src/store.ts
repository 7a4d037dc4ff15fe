import { randomUUID } from 'node:crypto';
import {
  SocialAuthError,
  type AccountStore,
  type StoredIdentity,
  type StoredUser,
} from '@socialauth/core';
import {
  checkQuery,
  emailKey,
  emailPage,
  isScopeToken,
  mergeScopes,
  subjectCursor,
  userCursor,
  type NewIdentity,
} from '@socialauth/core/provider';
import { sql, type Kysely, type Selectable } from 'kysely';
import { open, type PostgresConnection } from './connection';
import type { IdentitiesTable, Tables, UsersTable } from './schema';

const USER_COLUMNS = ['id', 'name', 'email', 'avatar_url', 'created_at', 'disabled_at'] as const;
const IDENTITY_COLUMNS = [
  'user_id',
  'provider',
  'subject',
  'email',
  'email_verified',
  'linked_at',
  'tokens',
  'needs_reauth',
  'profile',
  'scopes',
] as const;

type UserRow = Pick<Selectable<UsersTable>, (typeof USER_COLUMNS)[number]>;
type IdentityRow = Pick<Selectable<IdentitiesTable>, (typeof IDENTITY_COLUMNS)[number]>;

/** pg reads `timestamptz` as a Date, unless the app told it otherwise: either way, ISO 8601. */
const iso = (value: Date | string): string => new Date(value).toISOString();

/** A row as the interface has it: NULL columns are left out, as the other stores do. */
function toUser(row: UserRow): StoredUser {
  return {
    id: row.id,
    ...(row.name !== null && { name: row.name }),
    ...(row.email !== null && { email: row.email }),
    ...(row.avatar_url !== null && { avatarUrl: row.avatar_url }),
    createdAt: iso(row.created_at),
    ...(row.disabled_at !== null && { disabledAt: iso(row.disabled_at) }),
  };
}

function toIdentity(row: IdentityRow): StoredIdentity {
  return {
    userId: row.user_id,
    provider: row.provider,
    subject: row.subject,
    ...(row.email !== null && { email: row.email }),
    emailVerified: row.email_verified,
    linkedAt: iso(row.linked_at),
    ...(row.tokens !== null && { tokens: row.tokens }),
    ...(row.needs_reauth !== null && { needsReauth: row.needs_reauth }),
    ...(row.profile !== null && { profile: row.profile }),
    ...(row.scopes !== null && row.scopes.length > 0 && { scopes: row.scopes }),
  };
}

/** The identity's columns, picked one by one so no stray property reaches the table. */
function identityRow(userId: string, identity: NewIdentity) {
  const { provider, subject, email, emailVerified, tokens, needsReauth, profile } = identity;
  return {
    provider,
    subject,
    user_id: userId,
    email: email ?? null,
    email_verified: emailVerified,
    linked_at: new Date(),
    tokens: tokens ?? null,
    needs_reauth: needsReauth ?? null,
    profile: profile ?? null,
    scopes: identity.scopes?.length ? mergeScopes([], { grant: identity.scopes }) : null,
  };
}

/** True for PostgreSQL's foreign_key_violation (SQLSTATE 23503). */
const isForeignKeyViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === '23503';

/** Thrown inside a transaction to roll it back: a concurrent first sign-in won. */
class Lost extends Error {}

/** A concurrent writer removed what we had just been told exists, three times in a row. */
function unstable(what: string): never {
  throw new Error(`postgresAccounts: ${what} kept changing under concurrent writes`);
}

/**
 * Options for {@link postgresAccounts}: where the tables are (see {@link PostgresConnection}).
 *
 * @example
 * ```ts
 * const options: PostgresAccountsOptions = { url: 'postgres://app@db/app', prefix: 'auth_' };
 * ```
 */
export type PostgresAccountsOptions<DB = unknown> = PostgresConnection<DB>;

/**
 * An {@link AccountStore} on PostgreSQL (through Kysely and `pg`), in the tables {@link migrate}
 * makes: run it first. Atomic across processes by transactions and constraints, not locks in
 * the app:
 *
 * - `createUser`: one transaction inserts the user, then the identity with
 *   `ON CONFLICT (provider, subject) DO NOTHING`; when a concurrent first sign-in holds the key,
 *   PostgreSQL makes this insert wait for it, the transaction rolls back, and the winner's user is
 *   returned with `created: false`. 20 (or 100) at once create exactly one user.
 * - `link`: one `INSERT ... ON CONFLICT DO NOTHING`; the foreign key refuses an unknown user.
 * - `unlink`: locks the user's row (`FOR NO KEY UPDATE`), then deletes only while the user keeps
 *   another identity, so two unlinks of a user's last two identities cannot both succeed.
 * - A verified email (keyed by `emailKey`: ASCII letters lower-cased) belongs to the first user
 *   that claims it (primary key).
 *
 * @example
 * ```ts
 * import { migrate, postgresAccounts } from '@socialauth/postgres';
 *
 * await migrate({ url: process.env.DATABASE_URL! });
 * const accounts = postgresAccounts({ url: process.env.DATABASE_URL! });
 * app.use(socialAuth({ ...config, accounts }));
 * // on shutdown:
 * await accounts.close?.();
 * ```
 */
export function postgresAccounts<DB>(options: PostgresAccountsOptions<DB>): AccountStore {
  const { db, close } = open(options, 'postgresAccounts');

  const findIdentity = async (provider: string, subject: string) => {
    const row = await db
      .selectFrom('identities')
      .select(IDENTITY_COLUMNS)
      .where('provider', '=', provider)
      .where('subject', '=', subject)
      .executeTakeFirst();
    return row && toIdentity(row);
  };

  const getUser = async (trx: Kysely<Tables>, userId: string) => {
    const row = await trx
      .selectFrom('users')
      .select(USER_COLUMNS)
      .where('id', '=', userId)
      .executeTakeFirst();
    return row && toUser(row);
  };

  const store: AccountStore = {
    findIdentity,

    async findUserByVerifiedEmail(email) {
      const row = await db
        .selectFrom('verified_emails')
        .innerJoin('users', 'users.id', 'verified_emails.user_id')
        .select(USER_COLUMNS.map((c) => `users.${c}` as const))
        .where('verified_emails.email', '=', emailKey(email))
        .executeTakeFirst();
      return row && toUser(row);
    },

    getUser: (userId) => getUser(db, userId),

    async createUser(user, identity) {
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        // Most sign-ins of a known identity end here, without a transaction.
        const existing = await findIdentity(identity.provider, identity.subject);
        const owner = existing && (await getUser(db, existing.userId));
        if (existing && owner) return { user: owner, identity: existing, created: false };

        const id = randomUUID();
        const { name, email, avatarUrl } = user;
        const won = await db
          .transaction()
          .execute(async (trx) => {
            const stored = await trx
              .insertInto('users')
              .values({
                id,
                name: name ?? null,
                email: email ?? null,
                avatar_url: avatarUrl ?? null,
                created_at: new Date(),
              })
              .returning(USER_COLUMNS)
              .executeTakeFirstOrThrow();
            // The primary key (provider, subject) is the arbiter: a concurrent transaction that
            // inserted the same key first makes this one wait, then do nothing once it commits.
            // Source: PostgreSQL docs, INSERT, "ON CONFLICT Clause".
            const linked = await trx
              .insertInto('identities')
              .values(identityRow(id, identity))
              .onConflict((oc) => oc.columns(['provider', 'subject']).doNothing())
              .returning(IDENTITY_COLUMNS)
              .executeTakeFirst();
            if (!linked) throw new Lost();
            if (email !== undefined) {
              await trx
                .insertInto('verified_emails')
                .values({ email: emailKey(email), user_id: id })
                .onConflict((oc) => oc.column('email').doNothing())
                .execute();
            }
            return { user: toUser(stored), identity: toIdentity(linked), created: true };
          })
          .catch((error: unknown) => {
            if (error instanceof Lost) return undefined; // rolled back: read the winner's
            throw error;
          });
        if (won) return won;
      }
      return unstable('the identity');
    },

    async link(userId, identity) {
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        const linked = await db
          .insertInto('identities')
          .values(identityRow(userId, identity))
          .onConflict((oc) => oc.columns(['provider', 'subject']).doNothing())
          .returning(IDENTITY_COLUMNS)
          .executeTakeFirst()
          .catch((error: unknown) => {
            // A bug in the caller, not a user-facing condition: an orphan identity would log in
            // no one, and the foreign key says there is no such user.
            if (isForeignKeyViolation(error)) throw new Error(`link: there is no user ${userId}`);
            throw error;
          });
        if (linked) return toIdentity(linked);
        const existing = await findIdentity(identity.provider, identity.subject);
        if (existing?.userId === userId) return existing;
        if (existing) throw new SocialAuthError('identity_in_use');
        // Unlinked between the insert and the read: try again.
      }
      return unstable('the identity');
    },

    async unlink(userId, provider, subject) {
      return db.transaction().execute(async (trx) => {
        // Every unlink of this user queues on its row, so each counts what the previous left.
        // NO KEY UPDATE leaves links (whose foreign key check takes KEY SHARE) unblocked.
        // Source: PostgreSQL docs, "Explicit Locking", "Row-Level Locks".
        const owner = await trx
          .selectFrom('users')
          .select('id')
          .where('id', '=', userId)
          .forNoKeyUpdate()
          .executeTakeFirst();
        if (!owner) return undefined;
        const removed = await trx
          .deleteFrom('identities')
          .where('provider', '=', provider)
          .where('subject', '=', subject)
          .where('user_id', '=', userId)
          .where(({ eb, selectFrom, fn }) =>
            eb(
              selectFrom('identities')
                .select(fn.countAll<number>().as('n'))
                .where('user_id', '=', userId),
              '>',
              1,
            ),
          )
          .returning(IDENTITY_COLUMNS)
          .executeTakeFirst();
        if (removed) return toIdentity(removed);
        const kept = await trx
          .selectFrom('identities')
          .select('user_id')
          .where('provider', '=', provider)
          .where('subject', '=', subject)
          .executeTakeFirst();
        if (kept?.user_id === userId) throw new SocialAuthError('last_identity');
        return undefined;
      });
    },

    async listIdentities(userId) {
      const rows = await db
        .selectFrom('identities')
        .select(IDENTITY_COLUMNS)
        .where('user_id', '=', userId)
        .orderBy('position')
        .execute();
      return rows.map(toIdentity);
    },

    async saveTokens(provider, subject, tokens, needsReauth) {
      await db
        .updateTable('identities')
        .set({ tokens: tokens ?? null, needs_reauth: needsReauth })
        .where('provider', '=', provider)
        .where('subject', '=', subject)
        .execute();
    },

    async saveProfile(provider, subject, profile) {
      await db
        .updateTable('identities')
        .set({ profile: profile ?? null })
        .where('provider', '=', provider)
        .where('subject', '=', subject)
        .execute();
    },

    async updateScopes(provider, subject, change) {
      const grant = (change.grant ?? []).filter(isScopeToken);
      const revoke = [...(change.revoke ?? [])];
      // One statement under the row's lock: a concurrent merge re-reads the updated row
      // (READ COMMITTED), so neither grant is lost. Sorted in C, as the other stores sort.
      const merged = sql<string[]>`(select coalesce(array_agg(s order by s collate "C"), '{}')
        from (select distinct unnest(coalesce(scopes, '{}') || ${grant}::text[]) as s) as t
        where not (s = any(${revoke}::text[])))`;
      const row = await db
        .updateTable('identities')
        .set({ scopes: merged })
        .where('provider', '=', provider)
        .where('subject', '=', subject)
        .returning('scopes')
        .executeTakeFirst();
      return row ? (row.scopes ?? []) : undefined;
    },

    async updateUser(userId, fields) {
      const { name, email, avatarUrl } = fields;
      await db.transaction().execute(async (trx) => {
        const current = await trx
          .selectFrom('users')
          .select('email')
          .where('id', '=', userId)
          .forNoKeyUpdate()
          .executeTakeFirst();
        if (!current) return;
        const set = {
          ...(name !== undefined && { name }),
          ...(email !== undefined && { email }),
          ...(avatarUrl !== undefined && { avatar_url: avatarUrl }),
        };
        if (Object.keys(set).length > 0) {
          await trx.updateTable('users').set(set).where('id', '=', userId).execute();
        }
        if (email === undefined) return;
        // The index moves with the user's email, but never takes an address another user holds.
        const claim = () =>
          trx
            .insertInto('verified_emails')
            .values({ email: emailKey(email), user_id: userId })
            .onConflict((oc) => oc.column('email').doNothing())
            .execute();
        const old = current.email === null ? undefined : emailKey(current.email);
        if (old === undefined) return void (await claim());
        const free = () =>
          trx
            .deleteFrom('verified_emails')
            .where('email', '=', old)
            .where('user_id', '=', userId)
            .execute();
        // Both keys in sorted order: two users swapping addresses at once would otherwise each
        // wait for the other's key (a deadlock, which PostgreSQL ends by failing one of them).
        if (old <= emailKey(email)) {
          await free();
          await claim();
        } else {
          await claim();
          await free();
        }
      });
    },

    async deleteUser(userId) {
      return db.transaction().execute(async (trx) => {
        // The user's row locked first, as unlink does: a link meanwhile waits, then fails its
        // foreign key. Identities and the email index go with it (ON DELETE CASCADE).
        const user = await trx
          .selectFrom('users')
          .select(USER_COLUMNS)
          .where('id', '=', userId)
          .forUpdate()
          .executeTakeFirst();
        if (!user) return undefined;
        const identities = await trx
          .deleteFrom('identities')
          .where('user_id', '=', userId)
          .returning([...IDENTITY_COLUMNS, 'position'])
          .execute();
        await trx.deleteFrom('users').where('id', '=', userId).execute();
        identities.sort((a, b) => Number(BigInt(a.position) - BigInt(b.position)));
        return { user: toUser(user), identities: identities.map(toIdentity) };
      });
    },

    async setDisabled(userId, disabled) {
      const result = await db
        .updateTable('users')
        .set(({ fn, ref }) => ({
          // Kept when already set: the first disable is the one recorded.
          disabled_at: disabled ? fn.coalesce(ref('disabled_at'), sql<Date>`now()`) : null,
        }))
        .where('id', '=', userId)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async listUsers(query) {
      const q = checkQuery(query);
      if (q.by === 'email') return emailPage(store, q.email);
      if (q.by === 'provider') {
        // The primary key (provider, subject) orders and bounds the page, in the database's
        // collation (the cursor is only ever compared in it).
        let rows = db
          .selectFrom('identities')
          .innerJoin('users', 'users.id', 'identities.user_id')
          .select([...USER_COLUMNS.map((c) => `users.${c}` as const), 'identities.subject'])
          .where('identities.provider', '=', q.provider);
        if (q.subject !== undefined) rows = rows.where('identities.subject', '=', q.subject);
        if (q.after !== undefined) rows = rows.where('identities.subject', '>', q.after);
        const found = await rows
          .orderBy('identities.subject')
          .limit(q.limit + 1)
          .execute();
        const page = found.slice(0, q.limit);
        const last = page[page.length - 1];
        return {
          users: page.map(toUser),
          ...(found.length > q.limit && last && { next: subjectCursor(last.subject) }),
        };
      }
      let rows = db.selectFrom('users').select(USER_COLUMNS);
      if (q.after !== undefined) {
        const { createdAt, id } = q.after;
        rows = rows.where(
          sql<boolean>`(created_at, id collate "C") < (${new Date(createdAt)}, ${id} collate "C")`,
        );
      }
      const found = await rows
        .orderBy(sql`created_at desc, id collate "C" desc`)
        .limit(q.limit + 1)
        .execute();
      const page = found.slice(0, q.limit).map(toUser);
      const last = page[page.length - 1];
      return { users: page, ...(found.length > q.limit && last && { next: userCursor(last) }) };
    },

    close,
  };
  return store;
}
