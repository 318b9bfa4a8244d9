// Versioned schema migrations, the one place both databases (registry, APDB) evolve. A set is an
// ordered list; the schema's `schema_migration` table records what ran. Each `up`/`down` batch runs
// in one transaction under an advisory lock on the schema, so two Jobs migrating at once queue
// instead of interleaving, and a failure leaves the previous version intact.

import { quoteIdentifier, type SqlDatabase, type SqlSession } from '../ports/sql-database';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** `schema` arrives quoted, ready to prefix table names. */
  up(session: SqlSession, schema: string): Promise<void>;
  /**
   * Undoes `up`, throwing MigrationError when that would discard data; absent when it never can.
   */
  down?(session: SqlSession, schema: string): Promise<void>;
}

export interface MigrationSet {
  /** `registry` or `apdb`: names the set in messages and in the advisory lock. */
  readonly name: string;
  readonly migrations: readonly Migration[];
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

export function latestVersion(set: MigrationSet): number {
  return set.migrations.at(-1)?.version ?? 0;
}

/** Version the schema is at: 0 when it or its migration table does not exist. */
export async function currentVersion(db: SqlSession, schemaName: string): Promise<number> {
  const table = await db.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [
    `${quoteIdentifier(schemaName)}.schema_migration`,
  ]);
  if (!table.rows[0]?.present) return 0;
  const rows = await db.query<{ version: number | null }>(
    `SELECT max(version) AS version FROM ${quoteIdentifier(schemaName)}.schema_migration`,
  );
  return rows.rows[0]?.version ?? 0;
}

async function lockSchema(session: SqlSession, set: MigrationSet, schemaName: string): Promise<void> {
  await session.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
    `prompt-migrate:${set.name}:${schemaName}`,
  ]);
}

function checkTarget(set: MigrationSet, target: number): void {
  if (target !== 0 && !set.migrations.some((m) => m.version === target))
    throw new MigrationError(
      `${set.name} has no version ${target}: known versions are 0 (empty) and ${set.migrations.map((m) => m.version).join(', ')}`,
    );
}

export interface MigrationReport {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly string[];
}

/** Applies the migrations above the current version up to `target` (default: latest). */
export async function migrateUp(
  db: SqlDatabase,
  set: MigrationSet,
  schemaName: string,
  target: number = latestVersion(set),
): Promise<MigrationReport> {
  checkTarget(set, target);
  const schema = quoteIdentifier(schemaName);
  return db.transaction(async (session) => {
    await lockSchema(session, set, schemaName);
    await session.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await session.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migration (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const from = await currentVersion(session, schemaName);
    if (from > target)
      throw new MigrationError(
        `${set.name} in ${schemaName} is at version ${from}, above ${target}: use "migrate down --to ${target}"`,
      );
    const pending = set.migrations.filter((m) => m.version > from && m.version <= target);
    for (const migration of pending) {
      await migration.up(session, schema);
      await session.query(`INSERT INTO ${schema}.schema_migration (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
    return { from, to: target, applied: pending.map((m) => `${m.version} ${m.name}`) };
  });
}

/** Undoes migrations down to `target` (default: one step), refusing any that cannot be undone safely. */
export async function migrateDown(
  db: SqlDatabase,
  set: MigrationSet,
  schemaName: string,
  target?: number,
): Promise<MigrationReport> {
  const schema = quoteIdentifier(schemaName);
  return db.transaction(async (session) => {
    await lockSchema(session, set, schemaName);
    const from = await currentVersion(session, schemaName);
    const to = target ?? Math.max(0, ...set.migrations.map((m) => m.version).filter((v) => v < from));
    checkTarget(set, to);
    if (to > from)
      throw new MigrationError(
        `${set.name} in ${schemaName} is at version ${from}, below ${to}: use "migrate up"`,
      );
    const undo = set.migrations.filter((m) => m.version > to && m.version <= from).reverse();
    for (const migration of undo) {
      if (!migration.down)
        throw new MigrationError(
          `${set.name} migration ${migration.version} (${migration.name}) cannot be undone; nothing was changed`,
        );
      await migration.down(session, schema);
      await session.query(`DELETE FROM ${schema}.schema_migration WHERE version = $1`, [migration.version]);
    }
    return { from, to, applied: undo.map((m) => `${m.version} ${m.name}`) };
  });
}

/** Throws MigrationError (and so rolls the down-migration back) when `table` still has rows. */
export async function refuseIfNotEmpty(session: SqlSession, table: string, what: string): Promise<void> {
  const rows = await session.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${table}`);
  const n = rows.rows[0]?.n ?? 0n;
  if (n > 0n)
    throw new MigrationError(
      `going down would discard ${n} ${what}; nothing was changed (export or delete them first)`,
    );
}
