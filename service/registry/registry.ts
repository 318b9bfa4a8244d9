// The registry of one repo: a PostgreSQL schema (server or embedded) holding dimensions, dataset
// types, collections, datasets and datastore records. A facade over the modules beside it; every
// write runs in one transaction.

import type { CollectionType } from '../domain/repo/dataset-type';
import { type DatasetTypeDefinition, describeDefinition, sameDefinition } from '../domain/repo/dataset-type';
import { DIMENSIONS_CONFIG, dimensionsConfigLabel } from '../domain/repo/dimensions';
import { DatasetTypeConflictError, RepoVersionError } from '../domain/repo/repo-errors';
import { currentVersion, latestVersion } from '../migrations/migration';
import { REGISTRY_MIGRATIONS } from '../migrations/registry';
import { quoteIdentifier, type SqlDatabase, type SqlSession } from '../ports/sql-database';
import { certifyCalibrations, findCalibration, type ValidityRange } from './calibrations';
import {
  type CollectionRow,
  flattenCollections,
  lockChain,
  prependChildren,
  registerCollection,
  setChain,
} from './collections';
import {
  type DatasetQuery,
  datasetsById,
  existingDatasetIds,
  findDatasetType,
  insertDatasets,
  queryDatasets,
  requireDatasetType,
  type StoredDataset,
} from './datasets';
import { type DimensionRecord, insertDimensionRecords, queryDimensionRecords } from './dimension-records';

export interface RegistryVersions {
  readonly schemaVersion: number;
  /** `prompt:<n>`, or undefined before the first migration. */
  readonly dimensionsConfig: string | undefined;
}

export class Registry {
  /** Quoted schema, ready to prefix table names. */
  private readonly s: string;

  constructor(
    readonly db: SqlDatabase,
    readonly schema: string,
  ) {
    this.s = quoteIdentifier(schema);
  }

  get description(): string {
    return `registry ${this.schema} in ${this.db.description}`;
  }

  async versions(): Promise<RegistryVersions> {
    const schemaVersion = await currentVersion(this.db, this.schema);
    if (schemaVersion === 0) return { schemaVersion, dimensionsConfig: undefined };
    const row = await this.db.query<{ value: string }>(
      `SELECT value FROM ${this.s}.repo_attribute WHERE name = 'dimensions-config'`,
    );
    return { schemaVersion, dimensionsConfig: row.rows[0]?.value };
  }

  /**
   * Throws RepoVersionError unless the registry is at this build's schema version and
   * dimensions-config; the message says which command fixes it.
   */
  async checkCompatible(): Promise<void> {
    const { schemaVersion, dimensionsConfig } = await this.versions();
    const expectedSchema = latestVersion(REGISTRY_MIGRATIONS);
    const expectedDimensions = dimensionsConfigLabel(DIMENSIONS_CONFIG);
    if (dimensionsConfig !== expectedDimensions)
      throw new RepoVersionError(
        `${this.description} has dimensions-config ${dimensionsConfig ?? '(none)'} but this build uses ${expectedDimensions}: ` +
          (schemaVersion < expectedSchema
            ? `run "prompt-repo migrate up" against it, then restart`
            : `deploy the build that matches the repo (or migrate the repo down)`),
      );
    if (schemaVersion !== expectedSchema)
      throw new RepoVersionError(
        `${this.description} is at schema version ${schemaVersion} but this build expects ${expectedSchema}: ` +
          (schemaVersion < expectedSchema ? 'run "prompt-repo migrate up"' : 'deploy the newer build'),
      );
  }

  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** Registers a dataset type: 'registered', or 'exists' when an identical one is there already. */
  async registerDatasetType(definition: DatasetTypeDefinition): Promise<'registered' | 'exists'> {
    return this.db.transaction(async (session) => {
      const inserted = await session.query(
        `INSERT INTO ${this.s}.dataset_type (name, dimensions, storage_class, is_calibration)
         VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING`,
        [definition.name, definition.dimensions, definition.storageClass, definition.isCalibration],
      );
      if (inserted.rowCount === 1) return 'registered';
      const existing = await requireDatasetType(session, this.s, definition.name);
      if (!sameDefinition(existing, definition))
        throw new DatasetTypeConflictError(
          `dataset type ${definition.name} is registered as ${describeDefinition(existing)}, not ${describeDefinition(definition)}: use another name`,
        );
      return 'exists';
    });
  }

  async datasetType(name: string): Promise<DatasetTypeDefinition | undefined> {
    return findDatasetType(this.db, this.s, name);
  }

  registerCollection(name: string, type: CollectionType, doc = ''): Promise<CollectionRow> {
    return this.db.transaction((session) => registerCollection(session, this.s, name, type, doc));
  }

  setChain(parent: string, children: readonly string[]): Promise<void> {
    return this.db.transaction((session) => setChain(session, this.s, parent, children));
  }

  /**
   * Puts `children` (existing collections) at the front of the CHAINED collection `parent`, creating
   * it when missing, under a row lock: safe when visits prepend to one chain at the same time.
   */
  prependToChain(parent: string, children: readonly string[]): Promise<void> {
    return this.db.transaction(async (session) =>
      prependChildren(session, this.s, await lockChain(session, this.s, parent), children),
    );
  }

  flattenCollections(names: readonly string[]): Promise<CollectionRow[]> {
    return flattenCollections(this.db, this.s, names);
  }

  insertDimensionRecords(
    element: string,
    records: readonly DimensionRecord[],
    options: { skipExisting: boolean } = { skipExisting: false },
  ): Promise<number> {
    return this.db.transaction((session) =>
      insertDimensionRecords(session, this.s, element, records, options),
    );
  }

  dimensionRecords(element: string, filter: Readonly<Record<string, string | number>> = {}) {
    return queryDimensionRecords(this.db, this.s, element, filter);
  }

  /** Inserts datasets in the caller's transaction (see Repo, which pairs them with their files). */
  insertDatasets(session: SqlSession, datasets: readonly StoredDataset[]): Promise<void> {
    return insertDatasets(session, this.s, datasets);
  }

  queryDatasets(query: DatasetQuery): Promise<StoredDataset[]> {
    return queryDatasets(this.db, this.s, query);
  }

  datasetsById(ids: readonly string[]): Promise<StoredDataset[]> {
    return datasetsById(this.db, this.s, ids);
  }

  existingDatasetIds(ids: readonly string[]): Promise<Set<string>> {
    return existingDatasetIds(this.db, this.s, ids);
  }

  certify(collection: string, datasetIds: readonly string[], range: ValidityRange): Promise<number> {
    return this.db.transaction((session) =>
      certifyCalibrations(session, this.s, collection, datasetIds, range),
    );
  }

  findCalibration(
    datasetType: string,
    dataId: Readonly<Record<string, unknown>>,
    collections: readonly string[],
    time: Date,
  ) {
    return findCalibration(this.db, this.s, datasetType, dataId, collections, time);
  }
}
