// History reads for association and alerts: the earlier DiaSources and DiaForcedSources of given
// DiaObjects since a TAI MJD (upstream reads 12 months back), whole rows, so alerts can carry them.

import type { SqlSession } from '../ports/sql-database';

export type ApdbRow = Record<string, unknown>;

export async function readSourceHistory(
  session: SqlSession,
  schema: string,
  table: 'DiaSource' | 'DiaForcedSource',
  diaObjectIds: readonly bigint[],
  sinceMjdTai: number,
): Promise<ApdbRow[]> {
  if (diaObjectIds.length === 0) return [];
  const result = await session.query<ApdbRow>(
    `SELECT * FROM ${schema}."${table}" WHERE "diaObjectId" = ANY($1::bigint[]) AND "midpointMjdTai" >= $2
      ORDER BY "diaObjectId", "midpointMjdTai"`,
    [[...diaObjectIds], sinceMjdTai],
  );
  return result.rows;
}
