// Stores one (visit, detector)'s association results in one transaction: its DiaSources and
// DiaForcedSources, and the new versions of the DiaObjects it touched (old version's validity
// closed at the visit time, new version inserted, DiaObjectLast replaced).
//
// Reruns: the transaction first claims the (visit, detector) row in ApdbVisitDetector. If it is
// there already, the catalogs were stored before and nothing is written (skip, not replace: the
// upstream service treats an APDB that saw a visit-detector as final, and alerts went out for it).
// A concurrent duplicate waits on that row's lock and then skips the same way.
//
// Concurrency: detectors of one visit run in parallel. Object rows are locked and written in
// diaObjectId order, so two detectors touching the same objects queue instead of deadlocking.

import type {
  DiaForcedSourceRecord,
  DiaObjectRecord,
  DiaSourceRecord,
  VisitDetectorCatalogs,
} from '../domain/apdb/apdb-records';
import { apdbTable, type BANDS } from '../domain/apdb/apdb-tables';
import { APDB_HTM_LEVEL, htmIndex } from '../domain/sky/htm';
import type { SqlSession } from '../ports/sql-database';
import { bulkInsert, type ColumnValue, replaceOnConflict } from './bulk-insert';

export interface StoreResult {
  /** false when this (visit, detector) had been stored before and nothing was written. */
  readonly stored: boolean;
  readonly diaSources: number;
  readonly diaForcedSources: number;
  readonly diaObjects: number;
}

export class ApdbInputError extends Error {
  override readonly name = 'ApdbInputError';
}

const DIA_OBJECT = apdbTable('DiaObject');
const DIA_OBJECT_LAST = apdbTable('DiaObjectLast');
const DIA_SOURCE = apdbTable('DiaSource');
const DIA_FORCED_SOURCE = apdbTable('DiaForcedSource');
const names = (t: typeof DIA_OBJECT) => t.columns.map((c) => c.name);

function checkCatalogs(c: VisitDetectorCatalogs): void {
  if (typeof c.visit !== 'bigint' || c.visit < 0n)
    throw new ApdbInputError(`visit must be a non-negative bigint`);
  if (!Number.isInteger(c.detector) || c.detector < 0 || c.detector > 32767)
    throw new ApdbInputError(`detector ${c.detector} is not a SMALLINT id`);
  if (!Number.isFinite(c.visitTimeMjdTai) || !Number.isFinite(c.processedMjdTai))
    throw new ApdbInputError('visitTimeMjdTai and processedMjdTai must be finite TAI MJDs');
  const ids = new Set<bigint>();
  for (const o of c.diaObjects) {
    if (typeof o.diaObjectId !== 'bigint') throw new ApdbInputError('diaObjectId must be a bigint');
    if (ids.has(o.diaObjectId)) throw new ApdbInputError(`DiaObject ${o.diaObjectId} appears twice`);
    ids.add(o.diaObjectId);
  }
  for (const row of [...c.diaObjects, ...c.diaSources, ...c.diaForcedSources])
    if (!Number.isFinite(row.ra) || !Number.isFinite(row.dec) || Math.abs(row.dec) > 90)
      throw new ApdbInputError(`position (${row.ra}, ${row.dec}) is not a sky position`);
}

const byId =
  <K extends string>(key: K) =>
  (a: Record<K, bigint>, b: Record<K, bigint>) =>
    a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0;

function objectValue(o: DiaObjectRecord, c: VisitDetectorCatalogs, pixelId: bigint) {
  return (column: string): ColumnValue => {
    switch (column) {
      case 'validityStartMjdTai':
        return c.visitTimeMjdTai;
      case 'validityEndMjdTai':
        return null;
      case 'pixelId':
        return pixelId;
    }
    const band = /^([ugrizy])_psfFlux(Mean|MeanErr|Ndata)$/.exec(column);
    if (band) {
      const flux = o.psfFlux?.[band[1] as (typeof BANDS)[number]];
      if (band[2] === 'Ndata') return flux?.ndata ?? 0;
      return (band[2] === 'Mean' ? flux?.mean : flux?.meanErr) ?? null;
    }
    return (o as unknown as Record<string, ColumnValue | undefined>)[column] ?? null;
  };
}

const SOURCE_DEFAULTS: Readonly<Record<string, ColumnValue>> = {
  psfNdata: 0,
  trailNdata: 0,
  dipoleNdata: 0,
  bboxSize: 0,
};

function sourceValue(s: DiaSourceRecord | DiaForcedSourceRecord, c: VisitDetectorCatalogs, pixelId?: bigint) {
  return (column: string): ColumnValue => {
    switch (column) {
      case 'visit':
        return c.visit;
      case 'detector':
        return c.detector;
      case 'timeProcessedMjdTai':
        return c.processedMjdTai;
      case 'pixelId':
        return pixelId ?? null;
    }
    return (
      (s as unknown as Record<string, ColumnValue | undefined>)[column] ?? SOURCE_DEFAULTS[column] ?? null
    );
  };
}

async function storeObjects(session: SqlSession, s: string, c: VisitDetectorCatalogs): Promise<void> {
  const objects = [...c.diaObjects].sort(byId('diaObjectId'));
  if (objects.length === 0) return;
  const ids = objects.map((o) => o.diaObjectId);
  const pixels = objects.map((o) => BigInt(htmIndex(o.ra, o.dec, APDB_HTM_LEVEL)));
  await session.query(
    `SELECT 1 FROM ${s}."DiaObjectLast" WHERE "diaObjectId" = ANY($1::bigint[]) ORDER BY "diaObjectId" FOR UPDATE`,
    [ids],
  );
  await session.query(
    `UPDATE ${s}."DiaObject" SET "validityEndMjdTai" = $2
      WHERE "diaObjectId" = ANY($1::bigint[]) AND "validityEndMjdTai" IS NULL AND "validityStartMjdTai" < $2`,
    [ids, c.visitTimeMjdTai],
  );
  const value = (i: number) => objectValue(objects[i] as DiaObjectRecord, c, pixels[i] as bigint);
  // Two detectors of one visit may both carry a new version of an edge object: the later wins.
  await bulkInsert(
    session,
    s,
    DIA_OBJECT,
    names(DIA_OBJECT),
    objects.length,
    value,
    replaceOnConflict(DIA_OBJECT.primaryKey, names(DIA_OBJECT)),
  );
  await bulkInsert(
    session,
    s,
    DIA_OBJECT_LAST,
    names(DIA_OBJECT_LAST),
    objects.length,
    value,
    replaceOnConflict(DIA_OBJECT_LAST.primaryKey, names(DIA_OBJECT_LAST)),
  );
}

export async function storeDiaCatalogs(
  session: SqlSession,
  schema: string,
  catalogs: VisitDetectorCatalogs,
): Promise<StoreResult> {
  checkCatalogs(catalogs);
  const claimed = await session.query(
    `INSERT INTO ${schema}."ApdbVisitDetector" ("visit", "detector", "storedMjdTai") VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING`,
    [catalogs.visit, catalogs.detector, catalogs.processedMjdTai],
  );
  if (claimed.rowCount === 0) return { stored: false, diaSources: 0, diaForcedSources: 0, diaObjects: 0 };
  await storeObjects(session, schema, catalogs);
  const sources = [...catalogs.diaSources].sort(byId('diaSourceId'));
  const sourcePixels = sources.map((d) => BigInt(htmIndex(d.ra, d.dec, APDB_HTM_LEVEL)));
  await bulkInsert(session, schema, DIA_SOURCE, names(DIA_SOURCE), sources.length, (i) =>
    sourceValue(sources[i] as DiaSourceRecord, catalogs, sourcePixels[i]),
  );
  const forced = [...catalogs.diaForcedSources].sort(byId('diaObjectId'));
  await bulkInsert(session, schema, DIA_FORCED_SOURCE, names(DIA_FORCED_SOURCE), forced.length, (i) =>
    sourceValue(forced[i] as DiaForcedSourceRecord, catalogs),
  );
  return {
    stored: true,
    diaSources: sources.length,
    diaForcedSources: forced.length,
    diaObjects: catalogs.diaObjects.length,
  };
}
