// The APDB: one PostgreSQL schema (server or embedded) with the tables of domain/apdb/apdb-tables.
// create() is idempotent (the migration Job runs it on every sync); reset() drops and recreates.

import { openSqlDatabase } from '../adapters/open-sql-database';
import type { ApdbLocation } from '../domain/apdb/apdb-location';
import type { CurrentDiaObject, VisitDetectorCatalogs } from '../domain/apdb/apdb-records';
import { APDB_TABLES } from '../domain/apdb/apdb-tables';
import type { SkyCircle } from '../domain/sky/sky-circle';
import { APDB_MIGRATIONS } from '../migrations/apdb';
import { currentVersion, latestVersion, type MigrationReport, migrateUp } from '../migrations/migration';
import { quoteIdentifier, type SqlDatabase } from '../ports/sql-database';
import { type ApdbRow, readSourceHistory } from './read-dia-history';
import { containsVisitDetector, readDiaObjectsInRegion } from './read-dia-objects';
import { type StoreResult, storeDiaCatalogs } from './store-dia-catalogs';

export interface ApdbStatus {
  readonly namespace: string;
  readonly database: string;
  /** Migration version of the schema (0 = not created). */
  readonly schemaVersion: number;
  readonly latestSchemaVersion: number;
  /** metadata rows (`version:schema` = the ApdbSchema version). */
  readonly metadata: Readonly<Record<string, string>>;
  readonly rowCounts: Readonly<Record<string, number>>;
}

export class ApdbMissingError extends Error {
  override readonly name = 'ApdbMissingError';
}

export class Apdb {
  private readonly s: string;

  constructor(
    readonly db: SqlDatabase,
    readonly namespace: string,
  ) {
    this.s = quoteIdentifier(namespace);
  }

  static async open(location: ApdbLocation): Promise<Apdb> {
    return new Apdb(await openSqlDatabase(location.dbUrl), location.namespace);
  }

  /** Creates the schema and tables, or brings an older schema up to date; a no-op when current. */
  create(): Promise<MigrationReport> {
    return migrateUp(this.db, APDB_MIGRATIONS, this.namespace);
  }

  /** Drops the namespace with every row in it and creates it empty. */
  async reset(): Promise<MigrationReport> {
    await this.db.exec(`DROP SCHEMA IF EXISTS ${this.s} CASCADE`);
    return this.create();
  }

  async status(): Promise<ApdbStatus> {
    const schemaVersion = await currentVersion(this.db, this.namespace);
    const base = {
      namespace: this.namespace,
      database: this.db.description,
      schemaVersion,
      latestSchemaVersion: latestVersion(APDB_MIGRATIONS),
    };
    if (schemaVersion === 0) return { ...base, metadata: {}, rowCounts: {} };
    const metadata = await this.db.query<{ name: string; value: string }>(
      `SELECT "name", "value" FROM ${this.s}."metadata" ORDER BY "name"`,
    );
    const counts = await this.db.query<Record<string, bigint>>(
      `SELECT ${APDB_TABLES.map((t) => `(SELECT count(*) FROM ${this.s}."${t.name}") AS "${t.name}"`).join(', ')}`,
    );
    const row = counts.rows[0] ?? {};
    return {
      ...base,
      metadata: Object.fromEntries(metadata.rows.map((r) => [r.name, r.value])),
      rowCounts: Object.fromEntries(APDB_TABLES.map((t) => [t.name, Number(row[t.name] ?? 0n)])),
    };
  }

  /** Throws ApdbMissingError with the command to run when the schema is absent or out of date. */
  async checkReady(): Promise<void> {
    const version = await currentVersion(this.db, this.namespace);
    if (version !== latestVersion(APDB_MIGRATIONS))
      throw new ApdbMissingError(
        `APDB ${this.namespace} in ${this.db.description} is at version ${version}, not ${latestVersion(APDB_MIGRATIONS)}: run "prompt-apdb create --namespace ${this.namespace} --db-url …"`,
      );
  }

  /** Stores one visit-detector's catalogs in one transaction (see store-dia-catalogs.ts). */
  store(catalogs: VisitDetectorCatalogs): Promise<StoreResult> {
    return this.db.transaction((session) => storeDiaCatalogs(session, this.s, catalogs));
  }

  readDiaObjectsInRegion(circle: SkyCircle): Promise<CurrentDiaObject[]> {
    return readDiaObjectsInRegion(this.db, this.s, circle);
  }

  /** Earlier DiaSources of these objects with midpointMjdTai ≥ sinceMjdTai, oldest first per object. */
  readDiaSourceHistory(diaObjectIds: readonly bigint[], sinceMjdTai: number): Promise<ApdbRow[]> {
    return readSourceHistory(this.db, this.s, 'DiaSource', diaObjectIds, sinceMjdTai);
  }

  /** Earlier DiaForcedSources of these objects with midpointMjdTai ≥ sinceMjdTai. */
  readDiaForcedSourceHistory(diaObjectIds: readonly bigint[], sinceMjdTai: number): Promise<ApdbRow[]> {
    return readSourceHistory(this.db, this.s, 'DiaForcedSource', diaObjectIds, sinceMjdTai);
  }

  containsVisitDetector(visit: bigint, detector: number): Promise<boolean> {
    return containsVisitDetector(this.db, this.s, visit, detector);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
