// Row counts of the APDB tables a visitor of the dashboard cares about: DiaObject versions, current
// DiaObjects, DiaSources and forced sources. Reads them through the Apdb's own status query.

import type { Apdb } from '../apdb/apdb';

export const DASHBOARD_APDB_TABLES = ['DiaObject', 'DiaObjectLast', 'DiaSource', 'DiaForcedSource'] as const;

/** Counts per table; an APDB whose schema is not created yet counts 0 everywhere. */
export async function apdbTableCounts(apdb: Pick<Apdb, 'status'>): Promise<Record<string, number>> {
  const { rowCounts } = await apdb.status();
  return Object.fromEntries(DASHBOARD_APDB_TABLES.map((table) => [table, rowCounts[table] ?? 0]));
}
