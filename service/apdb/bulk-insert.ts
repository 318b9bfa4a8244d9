// One INSERT for a whole catalog: each column travels as one array parameter and `unnest` turns the
// arrays back into rows. A thousand DiaSources are one round trip and one statement to plan.

import { type ApdbTable, sqlType } from '../domain/apdb/apdb-tables';
import type { SqlSession, SqlValue } from '../ports/sql-database';

export type ColumnValue = string | number | bigint | boolean | null;
export type RowValues = (column: string) => ColumnValue;

const q = (name: string) => `"${name}"`;

function arrayType(table: ApdbTable, column: string): string {
  const info = table.columns.find((c) => c.name === column);
  if (!info) throw new RangeError(`${table.name} has no column ${column}`);
  return `${sqlType(info).replace(/\(\d+\)$/, '')}[]`;
}

/**
 * Inserts `count` rows whose values `rowAt(i)` supplies per column. `onConflict` is appended
 * verbatim (e.g. an upsert clause).
 */
export async function bulkInsert(
  session: SqlSession,
  schema: string,
  table: ApdbTable,
  columns: readonly string[],
  count: number,
  rowAt: (row: number) => RowValues,
  onConflict = '',
): Promise<number> {
  if (count === 0) return 0;
  const arrays: ColumnValue[][] = columns.map(() => new Array<ColumnValue>(count));
  for (let i = 0; i < count; i++) {
    const row = rowAt(i);
    for (let c = 0; c < columns.length; c++) (arrays[c] as ColumnValue[])[i] = row(columns[c] as string);
  }
  const casts = columns.map((c, i) => `$${i + 1}::${arrayType(table, c)}`).join(', ');
  const result = await session.query(
    `INSERT INTO ${schema}.${q(table.name)} (${columns.map(q).join(', ')}) SELECT * FROM unnest(${casts}) ${onConflict}`,
    arrays as SqlValue[],
  );
  return result.rowCount;
}

/** `SET "a" = EXCLUDED."a", …` for every column not in the key: an upsert that replaces the row. */
export function replaceOnConflict(key: readonly string[], columns: readonly string[]): string {
  const updates = columns.filter((c) => !key.includes(c)).map((c) => `${q(c)} = EXCLUDED.${q(c)}`);
  return `ON CONFLICT (${key.map(q).join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
}
