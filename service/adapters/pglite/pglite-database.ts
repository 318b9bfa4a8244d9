// SqlDatabase over embedded PostgreSQL (PGlite, WASM): the registry of a local repo and the
// no-services default of the APDB. One connection; PGlite queues concurrent callers, and its
// transaction() holds that connection for the whole unit of work.

import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { SqlDatabase, SqlResult, SqlSession, SqlValue } from '../../ports/sql-database';

const INT8 = 20;

async function run<Row>(
  target: PGlite | Transaction,
  text: string,
  params: readonly SqlValue[] = [],
): Promise<SqlResult<Row>> {
  const result = await target.query<Row>(text, params as unknown[]);
  return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
}

export class PgliteDatabase implements SqlDatabase {
  readonly description: string;
  private closed = false;

  private constructor(
    private readonly db: PGlite,
    dataDir: string | undefined,
  ) {
    this.description = dataDir ? `embedded PostgreSQL in ${dataDir}` : 'embedded PostgreSQL in memory';
  }

  /** Opens (creating when absent) the database in `dataDir`, or an in-memory one. */
  static async open(dataDir?: string): Promise<PgliteDatabase> {
    if (dataDir) await mkdir(dataDir, { recursive: true });
    const db = await PGlite.create(dataDir, { parsers: { [INT8]: (text: string) => BigInt(text) } });
    return new PgliteDatabase(db, dataDir);
  }

  query<Row = Record<string, unknown>>(text: string, params?: readonly SqlValue[]): Promise<SqlResult<Row>> {
    return run<Row>(this.db, text, params);
  }

  async exec(script: string): Promise<void> {
    await this.db.exec(script);
  }

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) =>
      work({
        query: (text, params) => run(tx, text, params),
        exec: async (script) => {
          await tx.exec(script);
        },
      }),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.close();
  }
}
