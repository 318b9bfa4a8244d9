// Reads the APDB needs during processing: current DiaObjects in a sky region (through the HTM20
// pixelId index: at most 64 id ranges, then an exact distance cut) and "was this visit-detector
// stored already?" (upstream's containsVisitDetector, which makes a retry non-retriable).

import type { CurrentDiaObject } from '../domain/apdb/apdb-records';
import { APDB_HTM_LEVEL, htmEnvelope } from '../domain/sky/htm';
import { checkSkyCircle, type SkyCircle, separationDeg } from '../domain/sky/sky-circle';
import type { SqlSession, SqlValue } from '../ports/sql-database';

const COLUMNS = [
  'diaObjectId',
  'validityStartMjdTai',
  'ra',
  'dec',
  'raErr',
  'decErr',
  'nDiaSources',
  'firstDiaSourceMjdTai',
  'lastDiaSourceMjdTai',
  'pixelId',
] as const;

/** The SQL and parameters of a region read: pixelId ranges only, so PostgreSQL uses the index. */
export function regionQuery(schema: string, circle: SkyCircle): { text: string; params: SqlValue[] } {
  const ranges = htmEnvelope(checkSkyCircle(circle), APDB_HTM_LEVEL, 64);
  const params: SqlValue[] = [];
  const conditions = ranges.map((r) => {
    params.push(BigInt(r.begin), BigInt(r.end - 1));
    return `"pixelId" BETWEEN $${params.length - 1} AND $${params.length}`;
  });
  const text = `SELECT ${COLUMNS.map((c) => `"${c}"`).join(', ')} FROM ${schema}."DiaObjectLast" WHERE ${conditions.join(' OR ')}`;
  return { text, params };
}

export async function readDiaObjectsInRegion(
  session: SqlSession,
  schema: string,
  circle: SkyCircle,
): Promise<CurrentDiaObject[]> {
  const { text, params } = regionQuery(schema, circle);
  const result = await session.query<CurrentDiaObject>(text, params);
  return result.rows.filter(
    (o) => separationDeg(o.ra, o.dec, circle.raDeg, circle.decDeg) <= circle.radiusDeg,
  );
}

export async function containsVisitDetector(
  session: SqlSession,
  schema: string,
  visit: bigint,
  detector: number,
): Promise<boolean> {
  const result = await session.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${schema}."ApdbVisitDetector" WHERE "visit" = $1 AND "detector" = $2)
         OR EXISTS (SELECT 1 FROM ${schema}."DiaSource" WHERE "visit" = $1 AND "detector" = $2)
         OR EXISTS (SELECT 1 FROM ${schema}."DiaForcedSource" WHERE "visit" = $1 AND "detector" = $2) AS found`,
    [visit, detector],
  );
  return result.rows[0]?.found === true;
}
