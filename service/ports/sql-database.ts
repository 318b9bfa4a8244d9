// The port through which the registry and the APDB talk SQL: PostgreSQL over the network (pg) or
// embedded PostgreSQL (PGlite). Both speak the same dialect, so the SQL above this port is written
// once. Adapters return BIGINT (int8) columns as BigInt, never as lossy numbers or strings.

/** A parameter value; bigint for 64-bit ids, arrays for `unnest` bulk inserts. */
export type SqlValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Date
  | Buffer
  | readonly (string | number | bigint | boolean | null)[];

export interface SqlResult<Row> {
  readonly rows: Row[];
  /** Rows inserted, updated or deleted (0 for SELECT in PGlite). */
  readonly rowCount: number;
}

export interface SqlSession {
  query<Row = Record<string, unknown>>(text: string, params?: readonly SqlValue[]): Promise<SqlResult<Row>>;
  /** Runs a script of several statements without parameters (DDL in migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlDatabase extends SqlSession {
  /** Where the database is, without credentials, for messages. */
  readonly description: string;
  /**
   * Runs `work` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it
   * throws (the error is rethrown unchanged).
   */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Releases connections; idempotent. */
  close(): Promise<void>;
}

/** A schema (namespace) name safe to splice into SQL as a quoted identifier. */
export function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name))
    throw new SqlIdentifierError(
      `"${name}" is not a valid schema or table name: use letters, digits and _ (at most 63), not starting with a digit`,
    );
  return `"${name}"`;
}

export class SqlIdentifierError extends Error {
  override readonly name = 'SqlIdentifierError';
}
