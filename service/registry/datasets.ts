// Datasets and their datastore records: one dataset per (type, run, data id), identified by UUID.
// Writers call insertDatasets inside the transaction that must hold them all or none.

import {
  type DataId,
  type DataIdValue,
  dataIdKey,
  normalizeDataId,
  normalizeDataIdFilter,
  sortDimensions,
} from '../domain/repo/data-id';
import { type DatasetTypeDefinition, describeDefinition } from '../domain/repo/dataset-type';
import { DatasetConflictError, MissingDatasetTypeError } from '../domain/repo/repo-errors';
import type { SqlSession } from '../ports/sql-database';
import { flattenCollections, requireCollection } from './collections';
import { checkDimensionRecordsExist } from './dimension-records';
import { sqlState, UNIQUE_VIOLATION } from './sql-errors';

export interface DatasetRef {
  readonly id: string;
  readonly datasetType: string;
  readonly run: string;
  readonly dataId: DataId;
}

export interface DatastoreRecord {
  /** Relative to the datastore root. */
  readonly path: string;
  readonly sizeBytes: number;
  /** `sha256:<hex>` of the file's bytes. */
  readonly checksum: string;
}

export interface StoredDataset extends DatasetRef {
  readonly record: DatastoreRecord;
}

interface DatasetTypeRow {
  dataset_type_id: number;
  name: string;
  dimensions: string[];
  storage_class: string;
  is_calibration: boolean;
}

export function toDefinition(row: DatasetTypeRow): DatasetTypeDefinition {
  return {
    name: row.name,
    dimensions: row.dimensions,
    storageClass: row.storage_class,
    isCalibration: row.is_calibration,
  };
}

export async function findDatasetType(
  session: SqlSession,
  s: string,
  name: string,
): Promise<(DatasetTypeDefinition & { id: number }) | undefined> {
  const result = await session.query<DatasetTypeRow>(`SELECT * FROM ${s}.dataset_type WHERE name = $1`, [
    name,
  ]);
  const row = result.rows[0];
  return row ? { ...toDefinition(row), id: row.dataset_type_id } : undefined;
}

export async function requireDatasetType(session: SqlSession, s: string, name: string) {
  const found = await findDatasetType(session, s, name);
  if (!found)
    throw new MissingDatasetTypeError(
      `dataset type ${name} is not registered in this repo: run "prompt-repo register-dataset-type ${name} ..." first`,
    );
  return found;
}

/** Validates and inserts datasets with their records; all in the caller's transaction. */
export async function insertDatasets(
  session: SqlSession,
  s: string,
  datasets: readonly StoredDataset[],
): Promise<void> {
  const types = new Map<string, Awaited<ReturnType<typeof requireDatasetType>>>();
  const runs = new Map<string, bigint>();
  const checkedKeys = new Set<string>();
  for (const dataset of datasets) {
    let type = types.get(dataset.datasetType);
    if (!type) {
      type = await requireDatasetType(session, s, dataset.datasetType);
      types.set(dataset.datasetType, type);
    }
    const dataId = normalizeDataId(dataset.dataId, type.dimensions, `dataset ${describeDefinition(type)}`);
    const key = dataIdKey(dataId);
    if (!checkedKeys.has(key)) {
      await checkDimensionRecordsExist(session, s, dataId);
      checkedKeys.add(key);
    }
    let runId = runs.get(dataset.run);
    if (runId === undefined) {
      runId = (await requireCollection(session, s, dataset.run, 'RUN')).id;
      runs.set(dataset.run, runId);
    }
    try {
      await session.query(
        `INSERT INTO ${s}.dataset (dataset_id, dataset_type_id, run_id, data_id, data_id_key)
         VALUES ($1, $2, $3, $4::jsonb, $5)`,
        [dataset.id, type.id, runId, JSON.stringify(dataId), key],
      );
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION)
        throw new DatasetConflictError(
          `${dataset.datasetType} ${key} is already in run ${dataset.run} (or dataset ${dataset.id} exists): nothing was written`,
        );
      throw error;
    }
    await session.query(
      `INSERT INTO ${s}.datastore_record (dataset_id, path, size_bytes, checksum) VALUES ($1, $2, $3, $4)`,
      [dataset.id, dataset.record.path, dataset.record.sizeBytes, dataset.record.checksum],
    );
  }
}

export interface DatasetQuery {
  readonly datasetType: string;
  /** Collections to search, chains expanded; all runs when absent. */
  readonly collections?: readonly string[];
  /** Dimension values every result's data id must contain. */
  readonly where?: Readonly<Record<string, unknown>>;
}

interface DatasetRow {
  dataset_id: string;
  dataset_type: string;
  run: string;
  data_id: DataId;
  path: string;
  size_bytes: bigint;
  checksum: string;
}

function toStored(row: DatasetRow): StoredDataset {
  // jsonb keeps its own key order; data ids travel in universe order (their text key depends on it).
  const stored: DataId = typeof row.data_id === 'string' ? JSON.parse(row.data_id) : row.data_id;
  const dataId = Object.fromEntries(
    sortDimensions(Object.keys(stored)).map((k) => [k, stored[k] as DataIdValue]),
  );
  return {
    id: row.dataset_id,
    datasetType: row.dataset_type,
    run: row.run,
    dataId,
    record: { path: row.path, sizeBytes: Number(row.size_bytes), checksum: row.checksum },
  };
}

const SELECT_DATASETS = (s: string) => `
  SELECT d.dataset_id::text AS dataset_id, t.name AS dataset_type, run.name AS run, d.data_id,
         r.path, r.size_bytes, r.checksum
    FROM ${s}.dataset d
    JOIN ${s}.dataset_type t ON t.dataset_type_id = d.dataset_type_id
    JOIN ${s}.collection run ON run.collection_id = d.run_id
    JOIN ${s}.datastore_record r ON r.dataset_id = d.dataset_id`;

/** Every dataset of a type in the collections (not find-first), ordered by run then data id. */
export async function queryDatasets(
  session: SqlSession,
  s: string,
  query: DatasetQuery,
): Promise<StoredDataset[]> {
  const type = await requireDatasetType(session, s, query.datasetType);
  const filter = JSON.stringify(normalizeDataIdFilter(query.where ?? {}, `query of ${type.name}`));
  if (!query.collections) {
    const all = await session.query<DatasetRow>(
      `${SELECT_DATASETS(s)} WHERE d.dataset_type_id = $1 AND d.data_id @> $2::jsonb ORDER BY run.name, d.data_id_key`,
      [type.id, filter],
    );
    return all.rows.map(toStored);
  }
  const flat = await flattenCollections(session, s, query.collections);
  const runIds = flat.filter((c) => c.type === 'RUN').map((c) => c.id);
  const calibIds = flat.filter((c) => c.type === 'CALIBRATION').map((c) => c.id);
  const result = await session.query<DatasetRow>(
    `${SELECT_DATASETS(s)}
      WHERE d.dataset_type_id = $1 AND d.data_id @> $2::jsonb
        AND (d.run_id = ANY($3::bigint[]) OR d.dataset_id IN (
              SELECT dataset_id FROM ${s}.calibration_validity WHERE collection_id = ANY($4::bigint[])))
      ORDER BY run.name, d.data_id_key`,
    [type.id, filter, runIds, calibIds],
  );
  return result.rows.map(toStored);
}

export async function datasetsById(
  session: SqlSession,
  s: string,
  ids: readonly string[],
): Promise<StoredDataset[]> {
  const result = await session.query<DatasetRow>(
    `${SELECT_DATASETS(s)} WHERE d.dataset_id = ANY($1::uuid[]) ORDER BY run.name, d.data_id_key`,
    [ids],
  );
  return result.rows.map(toStored);
}

export async function existingDatasetIds(
  session: SqlSession,
  s: string,
  ids: readonly string[],
): Promise<Set<string>> {
  const result = await session.query<{ id: string }>(
    `SELECT dataset_id::text AS id FROM ${s}.dataset WHERE dataset_id = ANY($1::uuid[])`,
    [ids],
  );
  return new Set(result.rows.map((r) => r.id));
}
