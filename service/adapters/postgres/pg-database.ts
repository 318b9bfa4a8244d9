// SqlDatabase over a pg Pool. BIGINT parsing is set on this pool only (pg's `types` option), so
// the process-wide type parsers other code relies on keep returning strings.

import pg from 'pg';
import type { SqlDatabase, SqlResult, SqlSession, SqlValue } from '../../ports/sql-database';

const INT8 = 20;
const INT8_ARRAY = 1016; // _int8: pg-types' TypeId enum does not list array types

type TypeId = Parameters<typeof pg.types.getTypeParser>[0];

function bigintTypes(): pg.CustomTypesConfig {
  const parseInt8Array = pg.types.getTypeParser(INT8_ARRAY as TypeId, 'text') as (
    text: string,
  ) => (string | null)[];
  const getTypeParser = (oid: TypeId, format?: 'text' | 'binary'): unknown => {
    if (oid === INT8) return (text: string) => BigInt(text);
    if ((oid as number) === INT8_ARRAY)
      return (text: string) => parseInt8Array(text).map((v) => (v === null ? null : BigInt(v)));
    return pg.types.getTypeParser(oid, format ?? 'text');
  };
  return { getTypeParser } as pg.CustomTypesConfig;
}

/** The URL without its password, for messages and logs. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'postgresql://(unparsable URL)';
  }
}

async function run<Row>(
  client: pg.Pool | pg.PoolClient,
  text: string,
  params: readonly SqlValue[] = [],
): Promise<SqlResult<Row>> {
  const result = await client.query(text, params as unknown[]);
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
}

export class PgDatabase implements SqlDatabase {
  readonly description: string;
  private readonly pool: pg.Pool;
  private closed = false;

  constructor(url: string, options: { maxConnections?: number; connectTimeoutMs?: number } = {}) {
    this.description = describePostgresUrl(url);
    this.pool = new pg.Pool({
      connectionString: url,
      types: bigintTypes(),
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    });
    // An idle client losing its server must not crash the process; the next query reports it.
    this.pool.on('error', () => {});
  }

  query<Row = Record<string, unknown>>(text: string, params?: readonly SqlValue[]): Promise<SqlResult<Row>> {
    return run<Row>(this.pool, text, params);
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const session: SqlSession = {
      query: (text, params) => run(client, text, params),
      exec: async (script) => {
        await client.query(script);
      },
    };
    try {
      await client.query('BEGIN');
      const result = await work(session);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
