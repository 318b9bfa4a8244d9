// Certifying calibrations into CALIBRATION collections with validity ranges, and finding the one
// valid at a time (upstream preloads the calibs valid at the next_visit's sndStamp).

import { type DataId, dataIdKey, normalizeDataId } from '../domain/repo/data-id';
import { CalibrationConflictError, CollectionTypeError } from '../domain/repo/repo-errors';
import type { SqlSession } from '../ports/sql-database';
import { flattenCollections, requireCollection } from './collections';
import { datasetsById, requireDatasetType, type StoredDataset } from './datasets';

export interface ValidityRange {
  readonly begin: Date;
  /** Exclusive; undefined = open-ended. */
  readonly end?: Date;
}

/** Certifies datasets into `collection` for `range`; refuses ranges overlapping an existing one. */
export async function certifyCalibrations(
  session: SqlSession,
  s: string,
  collection: string,
  datasetIds: readonly string[],
  range: ValidityRange,
): Promise<number> {
  if (range.end && range.end <= range.begin)
    throw new CalibrationConflictError(
      `validity range ${range.begin.toISOString()} → ${range.end.toISOString()} is empty: end must be after begin`,
    );
  const target = await requireCollection(session, s, collection, 'CALIBRATION');
  // Serializes certifications into this collection, so two overlapping ones cannot both pass the check.
  await session.query(`SELECT 1 FROM ${s}.collection WHERE collection_id = $1 FOR UPDATE`, [target.id]);
  const datasets = await datasetsById(session, s, datasetIds);
  for (const dataset of datasets) {
    const type = await requireDatasetType(session, s, dataset.datasetType);
    if (!type.isCalibration)
      throw new CollectionTypeError(`${type.name} is not a calibration dataset type: it cannot be certified`);
    const key = dataIdKey(dataset.dataId);
    const overlap = await session.query<{ valid_from: Date; valid_to: Date | null }>(
      `SELECT valid_from, valid_to FROM ${s}.calibration_validity
        WHERE collection_id = $1 AND dataset_type_id = $2 AND data_id_key = $3
          AND valid_from < coalesce($5::timestamptz, 'infinity') AND coalesce(valid_to, 'infinity') > $4::timestamptz`,
      [target.id, type.id, key, range.begin, range.end ?? null],
    );
    const clash = overlap.rows[0];
    if (clash)
      throw new CalibrationConflictError(
        `${type.name} ${key} in ${collection} is already valid from ${clash.valid_from.toISOString()} to ${clash.valid_to?.toISOString() ?? 'open end'}: choose a range that does not overlap it, or certify into another CALIBRATION collection`,
      );
    await session.query(`INSERT INTO ${s}.calibration_validity VALUES ($1, $2, $3, $4, $5, $6)`, [
      target.id,
      dataset.id,
      type.id,
      key,
      range.begin,
      range.end ?? null,
    ]);
  }
  return datasets.length;
}

/** The calibration valid at `time` in the first collection of the search path that has one. */
export async function findCalibration(
  session: SqlSession,
  s: string,
  datasetType: string,
  dataId: Readonly<Record<string, unknown>>,
  collections: readonly string[],
  time: Date,
): Promise<(StoredDataset & { validity: ValidityRange }) | undefined> {
  const type = await requireDatasetType(session, s, datasetType);
  const key = dataIdKey(normalizeDataId(dataId, type.dimensions, `calibration lookup of ${datasetType}`));
  for (const collection of await flattenCollections(session, s, collections)) {
    if (collection.type !== 'CALIBRATION') continue;
    const found = await session.query<{ dataset_id: string; valid_from: Date; valid_to: Date | null }>(
      `SELECT dataset_id::text AS dataset_id, valid_from, valid_to FROM ${s}.calibration_validity
        WHERE collection_id = $1 AND dataset_type_id = $2 AND data_id_key = $3
          AND valid_from <= $4::timestamptz AND (valid_to IS NULL OR valid_to > $4::timestamptz)`,
      [collection.id, type.id, key, time],
    );
    const row = found.rows[0];
    if (!row) continue;
    const [dataset] = await datasetsById(session, s, [row.dataset_id]);
    if (dataset)
      return {
        ...dataset,
        validity: {
          begin: new Date(row.valid_from),
          ...(row.valid_to ? { end: new Date(row.valid_to) } : {}),
        },
      };
  }
  return undefined;
}

export type { DataId };
