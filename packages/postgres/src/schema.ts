import {
  OperationNodeTransformer,
  type ColumnType,
  type Generated,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type TableNode,
  type UnknownRow,
} from 'kysely';

/** Timestamps: written as Dates, read back as Dates (pg parses `timestamptz`), never updated. */
type Timestamp = ColumnType<Date, Date, never>;

export interface UsersTable {
  id: string;
  name: string | null;
  email: string | null;
  avatar_url: string | null;
  created_at: Timestamp;
  /** Set while the user is disabled (`StoredUser.disabledAt`). */
  disabled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface IdentitiesTable {
  provider: string;
  subject: string;
  user_id: string;
  /** Insertion order: `listIdentities` is oldest first, also when two share a millisecond. */
  position: Generated<string>;
  email: string | null;
  email_verified: boolean;
  linked_at: Timestamp;
  /** The token vault's sealed string: the store never sees a plaintext token. */
  tokens: string | null;
  needs_reauth: boolean | null;
  /** The provider's latest profile as JSON text (`StoredIdentity.profile`), kept byte for byte. */
  profile: string | null;
  /** The granted scopes (`StoredIdentity.scopes`), sorted; NULL when none were recorded. */
  scopes: string[] | null;
}

export interface VerifiedEmailsTable {
  /** The address's `emailKey` (ASCII letters lower-cased), as the memory and Redis stores key it. */
  email: string;
  user_id: string;
}

/** The tables by their unprefixed names; {@link TablePrefix} adds the prefix to every query. */
export interface Tables {
  users: UsersTable;
  identities: IdentitiesTable;
  verified_emails: VerifiedEmailsTable;
}

export const TABLE_NAMES: readonly (keyof Tables)[] = ['users', 'identities', 'verified_emails'];

/**
 * The default table prefix.
 *
 * @example
 * ```ts
 * `${DEFAULT_PREFIX}users`; // 'socialauth_users'
 * ```
 */
export const DEFAULT_PREFIX = 'socialauth_';

/**
 * The prefix goes into table, constraint and index names. Kysely quotes identifiers, so this is
 * not what stops SQL injection; it keeps the names plain, and within PostgreSQL's 63 bytes
 * (longer ones are cut silently). Source: PostgreSQL docs, "Identifiers and Key Words".
 */
export function checkPrefix(prefix: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,31}$/.test(prefix)) {
    const shown = JSON.stringify(prefix);
    throw new Error(
      `socialauth postgres: the table prefix ${shown} is not [A-Za-z_][A-Za-z0-9_]{0,31}`,
    );
  }
  return prefix;
}

class PrefixTransformer extends OperationNodeTransformer {
  readonly #prefix: string;
  constructor(prefix: string) {
    super();
    this.#prefix = prefix;
  }
  protected override transformTable(node: TableNode): TableNode {
    const table = super.transformTable(node);
    const { identifier } = table.table;
    if (!(TABLE_NAMES as readonly string[]).includes(identifier.name)) return table;
    const renamed = { ...identifier, name: this.#prefix + identifier.name };
    return { ...table, table: { ...table.table, identifier: renamed } };
  }
}

/**
 * Prefixes this package's three table names wherever a query names them (FROM, INTO, JOIN,
 * column references, CREATE TABLE, REFERENCES), so queries are written against {@link Tables}.
 */
export class TablePrefix implements KyselyPlugin {
  readonly #transformer: PrefixTransformer;
  constructor(prefix: string) {
    this.#transformer = new PrefixTransformer(checkPrefix(prefix));
  }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId);
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
