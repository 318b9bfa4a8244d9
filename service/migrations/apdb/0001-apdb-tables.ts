// APDB v1: the tables of domain/apdb/apdb-tables.ts (ApdbSchema 10.0.0 key columns + pixelId) and
// the metadata rows dax_apdb keeps. The DDL is generated from the table list as it stood for v1;
// a later change to that list needs a new migration that ALTERs, not an edit here.

import { APDB_SCHEMA_VERSION, APDB_TABLES, type ApdbTable, sqlType } from '../../domain/apdb/apdb-tables';
import type { Migration } from '../migration';

function q(name: string): string {
  return `"${name}"`;
}

function createTable(schema: string, table: ApdbTable): string {
  const columns = table.columns.map((c) => `${q(c.name)} ${sqlType(c)}${c.nullable ? '' : ' NOT NULL'}`);
  const pk = `PRIMARY KEY (${table.primaryKey.map(q).join(', ')})`;
  const indexes = table.indexes.map(
    (i) => `CREATE INDEX ${q(i.name)} ON ${schema}.${q(table.name)} (${i.columns.map(q).join(', ')})`,
  );
  return [`CREATE TABLE ${schema}.${q(table.name)} (${[...columns, pk].join(', ')})`, ...indexes].join(';\n');
}

export const apdbTables: Migration = {
  version: 1,
  name: 'APDB tables (ApdbSchema 10.0.0 key columns, HTM20 pixelId)',
  async up(session, s) {
    await session.exec(APDB_TABLES.map((t) => createTable(s, t)).join(';\n'));
    await session.query(
      `INSERT INTO ${s}."metadata" ("name", "value") VALUES
         ('version:schema', $1), ('version:prompt-apdb', '1'), ('config:pixelization', 'htm'),
         ('config:pixelization_level', '20')`,
      [APDB_SCHEMA_VERSION],
    );
  },
  // No down: dropping the tables discards every DiaObject; `prompt-apdb reset --yes` is the way.
};
