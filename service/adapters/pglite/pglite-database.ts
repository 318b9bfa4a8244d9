// SqlDatabase over embedded PostgreSQL (PGlite, WASM): the registry of a local repo and the
// no-services default of the APDB. One connection; PGlite queues concurrent callers, and its
// transaction() holds that connection for the whole unit of work.

import { mkdir, readdir } from 'node:fs/promises';
import { PGlite, type PGliteOptions, type Transaction } from '@electric-sql/pglite';
import type { SqlDatabase, SqlResult, SqlSession, SqlValue } from '../../ports/sql-database';

const INT8 = 20;
const OPTIONS: PGliteOptions = { parsers: { [INT8]: (text: string) => BigInt(text) } };

/**
 * A freshly initialised, still empty cluster, kept as a tar image: PGlite's initdb costs seconds
 * of CPU, a copy of its result under a second, and a process makes many databases (the registry,
 * the APDB, one local repo per visit). The first new database initialises itself and is imaged
 * before anything is written to it; every later one starts from the image.
 */
let emptyCluster: Promise<Blob> | undefined;

async function createEmpty(dataDir: string | undefined): Promise<PGlite> {
  if (emptyCluster) {
    const image = await emptyCluster.catch(() => undefined);
    if (image) return PGlite.create(dataDir, { ...OPTIONS, loadDataDir: image });
  }
  const db = await PGlite.create(dataDir, OPTIONS);
  emptyCluster ??= db.dumpDataDir('none');
  await emptyCluster.catch(() => undefined);
  return db;
}

async function isEmptyDirectory(directory: string): Promise<boolean> {
  return (await readdir(directory)).length === 0;
}

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
    const fresh = dataDir === undefined || (await isEmptyDirectory(dataDir));
    const db = fresh ? await createEmpty(dataDir) : await PGlite.create(dataDir, OPTIONS);
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
