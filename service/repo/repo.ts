// A repo = registry (PostgreSQL schema) + datastore (S3 prefix or directory), opened from its root
// URI. Writes pair a file with its registry rows so that neither outlives the other: the file goes
// first, the rows in one transaction, and the file is removed again if the transaction fails.

import { randomUUID } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { openDatastore } from '../adapters/open-datastore';
import { isPostgresUrl, openSqlDatabase } from '../adapters/open-sql-database';
import type { S3DatastoreOptions } from '../adapters/s3/s3-datastore';
import { type DataId, dataIdKey, normalizeDataId } from '../domain/repo/data-id';
import {
  ChecksumMismatchError,
  DatasetFileMissingError,
  MissingDatasetTypeError,
  RepoError,
} from '../domain/repo/repo-errors';
import { migrateUp } from '../migrations/migration';
import { REGISTRY_MIGRATIONS } from '../migrations/registry';
import { type Datastore, ObjectMissingError } from '../ports/datastore';
import type { StoredDataset } from '../registry/datasets';
import { Registry } from '../registry/registry';
import { checksumOf } from './checksum';
import { readAll } from './read-all';
import { formatRepoConfig, parseRepoConfig, REPO_CONFIG_FILE, type RepoConfig } from './repo-config';

export interface RepoOptions {
  readonly s3?: S3DatastoreOptions;
}

export interface CreateRepoOptions extends RepoOptions {
  /** postgresql:// URL of the registry; absent = embedded PostgreSQL under the (filesystem) root. */
  readonly registryDb?: string;
  readonly namespace?: string;
}

export class Repo {
  private constructor(
    readonly root: string,
    readonly registry: Registry,
    readonly datastore: Datastore,
  ) {}

  /** Writes repo.yaml and migrates the registry to this build's version. */
  static async create(root: string, options: CreateRepoOptions = {}): Promise<Repo> {
    const datastore = openDatastore(root, options.s3);
    if (!options.registryDb && root.startsWith('s3://')) {
      await datastore.close();
      throw new RepoError(
        `a repo in S3 (${root}) needs a PostgreSQL registry: pass --registry-db postgresql://…`,
      );
    }
    if (await datastore.stat(REPO_CONFIG_FILE)) {
      await datastore.close();
      throw new RepoError(`${datastore.uriOf(REPO_CONFIG_FILE)} exists already: open that repo instead`);
    }
    const config: RepoConfig = {
      registry: { db: options.registryDb ?? 'registry', namespace: options.namespace ?? 'registry' },
    };
    const text = Buffer.from(formatRepoConfig(config));
    const repo = await Repo.connect(root, config, datastore);
    try {
      await migrateUp(repo.registry.db, REGISTRY_MIGRATIONS, config.registry.namespace);
      await datastore.put(REPO_CONFIG_FILE, text, text.length);
    } catch (error) {
      await repo.close();
      throw error;
    }
    return repo;
  }

  /** Opens an existing repo from the repo.yaml at its root (no version check; see checkCompatible). */
  static async open(root: string, options: RepoOptions = {}): Promise<Repo> {
    const datastore = openDatastore(root, options.s3);
    let text: Buffer;
    try {
      text = await readAll(await datastore.get(REPO_CONFIG_FILE));
    } catch (error) {
      await datastore.close();
      if (error instanceof ObjectMissingError)
        throw new RepoError(
          `${root} is not a repo (no ${REPO_CONFIG_FILE}): create it with "prompt-repo create ${root}"`,
        );
      throw error;
    }
    return Repo.connect(
      root,
      parseRepoConfig(text.toString('utf8'), datastore.uriOf(REPO_CONFIG_FILE)),
      datastore,
    );
  }

  /**
   * Opens a repo and refuses it (RepoVersionError naming the command to run) unless its schema
   * version and dimensions-config are this build's. The service calls this at start, so a pod never
   * runs against a central repo whose dimension universe differs from its own.
   */
  static async openCompatible(root: string, options: RepoOptions = {}): Promise<Repo> {
    const repo = await Repo.open(root, options);
    try {
      await repo.registry.checkCompatible();
    } catch (error) {
      await repo.close();
      throw error;
    }
    return repo;
  }

  private static async connect(root: string, config: RepoConfig, datastore: Datastore): Promise<Repo> {
    const { db } = config.registry;
    const location = isPostgresUrl(db) || isAbsolute(db) || db === 'memory:' ? db : join(datastore.root, db);
    try {
      const sql = await openSqlDatabase(location);
      return new Repo(root, new Registry(sql, config.registry.namespace), datastore);
    } catch (error) {
      await datastore.close();
      throw error;
    }
  }

  /** Stores bytes as a new dataset in `run` (which must exist) and returns it. */
  async put(
    datasetType: string,
    dataId: Readonly<Record<string, unknown>>,
    run: string,
    bytes: Uint8Array,
    extension = 'dat',
  ): Promise<StoredDataset> {
    const type = await this.registry.datasetType(datasetType);
    if (!type)
      throw new MissingDatasetTypeError(
        `dataset type ${datasetType} is not registered in ${this.root}: run "prompt-repo register-dataset-type" first`,
      );
    const normalized: DataId = normalizeDataId(dataId, type.dimensions, `dataset ${datasetType}`);
    const id = randomUUID();
    const dataset: StoredDataset = {
      id,
      datasetType,
      run,
      dataId: normalized,
      record: {
        path: datasetPath(run, datasetType, normalized, id, extension),
        sizeBytes: bytes.length,
        checksum: checksumOf(bytes),
      },
    };
    const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await this.datastore.put(dataset.record.path, body, bytes.length);
    try {
      await this.registry.transaction((s) => this.registry.insertDatasets(s, [dataset]));
    } catch (error) {
      await this.datastore.remove(dataset.record.path);
      throw error;
    }
    return dataset;
  }

  /** The dataset's bytes, verified against its record's size and checksum. */
  async get(dataset: StoredDataset): Promise<Buffer> {
    let bytes: Buffer;
    try {
      bytes = await readAll(await this.datastore.get(dataset.record.path), dataset.record.sizeBytes);
    } catch (error) {
      if (error instanceof ObjectMissingError) throw missingFile(this, dataset);
      throw error;
    }
    const checksum = checksumOf(bytes);
    if (bytes.length !== dataset.record.sizeBytes || checksum !== dataset.record.checksum)
      throw new ChecksumMismatchError(
        `${this.datastore.uriOf(dataset.record.path)} has ${bytes.length} bytes (${checksum}), its record says ${dataset.record.sizeBytes} (${dataset.record.checksum}): the file was changed behind the registry`,
      );
    return bytes;
  }

  async close(): Promise<void> {
    await Promise.all([this.registry.db.close(), this.datastore.close()]);
  }
}

export function missingFile(repo: Repo, dataset: StoredDataset): DatasetFileMissingError {
  return new DatasetFileMissingError(
    `dataset ${dataset.datasetType} ${dataIdKey(dataset.dataId)} (${dataset.id}) in run ${dataset.run} is registered but ${repo.datastore.uriOf(dataset.record.path)} is missing: restore the file or remove the dataset`,
  );
}

/** `<run>/<datasetType>/<dimension values>_<datasetType>_<uuid>.<ext>`: readable and unique. */
export function datasetPath(
  run: string,
  datasetType: string,
  dataId: DataId,
  id: string,
  extension: string,
): string {
  const values = Object.values(dataId).map((v) => String(v).replace(/[^A-Za-z0-9_.-]/g, '_'));
  return `${run}/${datasetType}/${[...values, datasetType, id].join('_')}.${extension}`;
}
