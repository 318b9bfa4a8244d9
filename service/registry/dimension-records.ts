// Dimension records (instrument, detector, exposure, visit, skymap, patch …): validated against the
// universe in domain/repo/dimensions.ts and written to their dim_* tables. Imports into a central
// repo insert with skip-existing, as upstream's export does, so parallel exports of one visit from
// many detectors never fight over the same rows.

import { normalizeDataId } from '../domain/repo/data-id';
import { type DimensionElement, dimension, recordColumns } from '../domain/repo/dimensions';
import { InvalidDefinitionError, MissingDimensionRecordError } from '../domain/repo/repo-errors';
import type { SqlSession, SqlValue } from '../ports/sql-database';
import { sqlState, UNIQUE_VIOLATION } from './sql-errors';

export type DimensionValue = string | number | null | Readonly<Record<string, unknown>>;
export type DimensionRecord = Readonly<Record<string, DimensionValue>>;

export function tableElement(name: string): DimensionElement & { table: string } {
  const element = dimension(name);
  if (!element) throw new InvalidDefinitionError(`"${name}" is not a dimension of this repo's universe`);
  if (!element.table) throw new InvalidDefinitionError(`dimension ${name} has no records to insert or read`);
  return element as DimensionElement & { table: string };
}

const q = (name: string) => `"${name}"`;

function keyColumns(element: DimensionElement): string[] {
  return [...element.requires, element.name];
}

function toSql(element: DimensionElement, column: string, value: DimensionValue | undefined): SqlValue {
  if (value === undefined || value === null) return null;
  if (element.metadata[column] === 'region') return JSON.stringify(value);
  if (typeof value === 'object')
    throw new InvalidDefinitionError(`${element.name}.${column} must not be an object`);
  return value;
}

function checkRecord(element: DimensionElement, record: DimensionRecord): void {
  const known = new Set(recordColumns(element));
  const unknown = Object.keys(record).filter((k) => !known.has(k));
  if (unknown.length > 0)
    throw new InvalidDefinitionError(
      `${element.name} record has unknown field(s) ${unknown.join(', ')}; fields: ${[...known].join(', ')}`,
    );
  const keys = keyColumns(element);
  normalizeDataId(Object.fromEntries(keys.map((k) => [k, record[k]])), keys, `${element.name} record`);
}

/** Inserts records; with skipExisting, rows whose key exists are left as they are. */
export async function insertDimensionRecords(
  session: SqlSession,
  schema: string,
  elementName: string,
  records: readonly DimensionRecord[],
  options: { skipExisting: boolean },
): Promise<number> {
  const element = tableElement(elementName);
  if (records.length === 0) return 0;
  for (const record of records) checkRecord(element, record);
  const columns = recordColumns(element);
  const params: SqlValue[] = [];
  const rows = records.map((record) => {
    const placeholders = columns.map((column) => {
      params.push(toSql(element, column, record[column]));
      return `$${params.length}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  const conflict = options.skipExisting ? ' ON CONFLICT DO NOTHING' : '';
  try {
    const result = await session.query(
      `INSERT INTO ${schema}.${element.table} (${columns.map(q).join(', ')}) VALUES ${rows.join(', ')}${conflict}`,
      params,
    );
    return result.rowCount;
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION)
      throw new InvalidDefinitionError(
        `a ${elementName} record with the same key exists already: insert with skip-existing or change the key`,
      );
    if (sqlState(error) === '23503')
      throw new MissingDimensionRecordError(
        `${elementName} records refer to records that are not in the registry (${(error as Error).message}): insert those first`,
      );
    throw error;
  }
}

function fromSql(element: DimensionElement, column: string, value: unknown): DimensionValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (element.metadata[column] === 'region' && typeof value === 'string') return JSON.parse(value);
  return value as DimensionValue;
}

/** Records of one element whose columns equal `filter` (all records for an empty filter). */
export async function queryDimensionRecords(
  session: SqlSession,
  schema: string,
  elementName: string,
  filter: Readonly<Record<string, string | number>> = {},
): Promise<DimensionRecord[]> {
  const element = tableElement(elementName);
  const columns = recordColumns(element);
  const conditions = Object.keys(filter)
    .filter((k) => columns.includes(k))
    .map((k, i) => `${q(k)} = $${i + 1}`);
  const params = Object.keys(filter)
    .filter((k) => columns.includes(k))
    .map((k) => filter[k] as string | number);
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  const order = keyColumns(element).map(q).join(', ');
  const result = await session.query<Record<string, unknown>>(
    `SELECT ${columns.map(q).join(', ')} FROM ${schema}.${element.table}${where} ORDER BY ${order}`,
    params,
  );
  return result.rows.map((row) => Object.fromEntries(columns.map((c) => [c, fromSql(element, c, row[c])])));
}

/** Throws MissingDimensionRecordError unless every table-backed dimension of `dataId` has its record. */
export async function checkDimensionRecordsExist(
  session: SqlSession,
  schema: string,
  dataId: Readonly<Record<string, string | number>>,
): Promise<void> {
  for (const name of Object.keys(dataId)) {
    const element = dimension(name);
    if (!element?.table) continue;
    const keys = keyColumns(element);
    const result = await session.query(
      `SELECT 1 FROM ${schema}.${element.table} WHERE ${keys.map((k, i) => `${q(k)} = $${i + 1}`).join(' AND ')}`,
      keys.map((k) => dataId[k] as string | number),
    );
    if (result.rows.length === 0)
      throw new MissingDimensionRecordError(
        `no ${name} record for ${keys.map((k) => `${k}=${dataId[k]}`).join(', ')}: insert the dimension records first`,
      );
  }
}
