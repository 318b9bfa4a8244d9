// The APDB catalogs of a detector's (padded) region, read once before association, as upstream's
// LoadDiaCatalogsTask does while the service waits for the raws: the current DiaObjects in the
// region, then those objects' DiaSources and DiaForcedSources since a TAI MJD (upstream reads 12
// months back). Association, forced photometry and the alerts' history then use these rows instead of
// querying the APDB again.

import type { Apdb } from '../apdb/apdb';
import type { ApdbRow } from '../apdb/read-dia-history';
import type { CurrentDiaObject } from '../domain/apdb/apdb-records';
import type { SkyCircle } from '../domain/sky/sky-circle';

export interface PreloadedDiaCatalogs {
  readonly region: SkyCircle;
  /** Source histories start at this TAI MJD. */
  readonly sinceMjdTai: number;
  readonly diaObjects: readonly CurrentDiaObject[];
  readonly diaSources: readonly ApdbRow[];
  readonly diaForcedSources: readonly ApdbRow[];
}

export async function loadDiaCatalogs(
  apdb: Pick<Apdb, 'readDiaObjectsInRegion' | 'readDiaSourceHistory' | 'readDiaForcedSourceHistory'>,
  region: SkyCircle,
  sinceMjdTai: number,
): Promise<PreloadedDiaCatalogs> {
  const diaObjects = await apdb.readDiaObjectsInRegion(region);
  const ids = diaObjects.map((o) => o.diaObjectId);
  const [diaSources, diaForcedSources] = await Promise.all([
    apdb.readDiaSourceHistory(ids, sinceMjdTai),
    apdb.readDiaForcedSourceHistory(ids, sinceMjdTai),
  ]);
  return { region, sinceMjdTai, diaObjects, diaSources, diaForcedSources };
}
