import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgDatabase } from '../../service/adapters/postgres/pg-database';
import { DIMENSIONS } from '../../service/domain/repo/dimensions';
import { RepoVersionError } from '../../service/domain/repo/repo-errors';
import {
  currentVersion,
  latestVersion,
  MigrationError,
  migrateDown,
  migrateUp,
} from '../../service/migrations/migration';
import { REGISTRY_MIGRATIONS } from '../../service/migrations/registry';
import { Registry } from '../../service/registry/registry';
import { databaseUrl, expectListening, uniqueName } from '../support/local-services';
import { dropSchema } from '../support/repos';

describe('registry migrations on PostgreSQL', () => {
  const schema = uniqueName('it_migrate').replace(/-/g, '_');
  let db: PgDatabase;
  let registry: Registry;

  beforeAll(async () => {
    await expectListening('PostgreSQL', '127.0.0.1:5432');
    db = new PgDatabase(databaseUrl());
    registry = new Registry(db, schema);
  });

  afterAll(async () => {
    await db?.close();
    await dropSchema(schema);
  });

  it('starts at version 0 and detects the mismatch, naming the command to run', async () => {
    expect(await registry.versions()).toEqual({ schemaVersion: 0, dimensionsConfig: undefined });
    await expect(registry.checkCompatible()).rejects.toThrow(/run "prompt-repo migrate up"/);
  });

  it('detects a central dimensions-config older than the build (prompt:1 vs prompt:2)', async () => {
    expect(await migrateUp(db, REGISTRY_MIGRATIONS, schema, 1)).toMatchObject({ from: 0, to: 1 });
    expect(await registry.versions()).toEqual({ schemaVersion: 1, dimensionsConfig: 'prompt:1' });
    await expect(registry.checkCompatible()).rejects.toThrow(RepoVersionError);
    await expect(registry.checkCompatible()).rejects.toThrow(
      /dimensions-config prompt:1 but this build uses prompt:2: run "prompt-repo migrate up"/,
    );
  });

  it('migrates up from concurrent Jobs once, each step recorded', async () => {
    const others = [new PgDatabase(databaseUrl()), new PgDatabase(databaseUrl())];
    try {
      await Promise.all([db, ...others].map((d) => migrateUp(d, REGISTRY_MIGRATIONS, schema)));
    } finally {
      await Promise.all(others.map((d) => d.close()));
    }
    expect(await currentVersion(db, schema)).toBe(latestVersion(REGISTRY_MIGRATIONS));
    const steps = await db.query<{ version: number }>(
      `SELECT version FROM "${schema}".schema_migration ORDER BY 1`,
    );
    expect(steps.rows.map((r) => r.version)).toEqual([1, 2, 3]);
    await registry.checkCompatible();
  });

  it('has a table with a column for every field of every dimension in this build', async () => {
    for (const element of DIMENSIONS.values()) {
      if (!element.table) continue;
      const columns = await db.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
        [schema, element.table],
      );
      const names = columns.rows.map((r) => r.column_name);
      for (const field of [
        ...element.requires,
        element.name,
        ...element.implies,
        ...Object.keys(element.metadata),
      ])
        expect(names, `${element.table}.${field}`).toContain(field);
    }
  });

  it('goes down and up again while the registry is empty (round trip)', async () => {
    expect(await migrateDown(db, REGISTRY_MIGRATIONS, schema)).toMatchObject({ from: 3, to: 2 });
    expect(await migrateDown(db, REGISTRY_MIGRATIONS, schema, 0)).toMatchObject({ from: 2, to: 0 });
    expect(await currentVersion(db, schema)).toBe(0);
    const left = await db.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name <> 'schema_migration'`,
      [schema],
    );
    expect(left.rows).toEqual([]);
    expect(await migrateUp(db, REGISTRY_MIGRATIONS, schema)).toMatchObject({ from: 0, to: 3 });
    await registry.checkCompatible();
  });

  it('fails to go down when that would discard data, and changes nothing', async () => {
    await registry.insertDimensionRecords('skymap', [{ skymap: 'lsst_cells_v1', tract_max: 18938 }]);
    await expect(migrateDown(db, REGISTRY_MIGRATIONS, schema, 1)).rejects.toThrow(
      /would discard 1 skymap records; nothing was changed/,
    );
    expect(await currentVersion(db, schema)).toBe(3);
    expect(await registry.dimensionRecords('skymap')).toHaveLength(1);
  });

  it('fails on an unknown target version', async () => {
    await expect(migrateUp(db, REGISTRY_MIGRATIONS, schema, 9)).rejects.toThrow(MigrationError);
    await expect(migrateUp(db, REGISTRY_MIGRATIONS, schema, 9)).rejects.toThrow(
      /known versions are 0 \(empty\) and 1, 2, 3/,
    );
  });
});
