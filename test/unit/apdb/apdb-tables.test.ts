import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APDB_SCHEMA_VERSION, APDB_TABLES } from '../../../service/domain/apdb/apdb-tables';
import { sharedDir } from '../../support/local-services';

interface FelisColumn {
  name: string;
  datatype: string;
  nullable?: boolean;
  length?: number;
}
interface FelisTable {
  name: string;
  columns: FelisColumn[];
  primaryKey?: string | string[];
  indexes?: { name: string; columns: string[] }[];
}

const reference = parse(readFileSync(join(sharedDir, 'schemas', 'apdb.yaml'), 'utf8')) as {
  version: string;
  tables: FelisTable[];
};
const strip = (ref: string) => ref.replace(/^#[^.]+\./, '');

describe('APDB tables against sdm_schemas apdb.yaml (ApdbSchema)', () => {
  it('follows the reference version', () => {
    expect(APDB_SCHEMA_VERSION).toBe(reference.version);
  });

  for (const table of APDB_TABLES.filter((t) => t.name !== 'ApdbVisitDetector')) {
    it(`${table.name}: every column has the reference's type, length and nullability; same key and indexes`, () => {
      const ref = reference.tables.find((t) => t.name === table.name);
      expect(ref, `${table.name} in apdb.yaml`).toBeDefined();
      if (!ref) return;
      for (const column of table.columns.filter((c) => !c.local)) {
        const refColumn = ref.columns.find((c) => c.name === column.name);
        expect(refColumn, `${table.name}.${column.name}`).toBeDefined();
        expect({
          name: column.name,
          type: column.type,
          nullable: column.nullable,
          length: column.length,
        }).toEqual({
          name: column.name,
          type: refColumn?.datatype,
          nullable: refColumn?.nullable ?? true,
          length: refColumn?.length,
        });
      }
      const refKey = (Array.isArray(ref.primaryKey) ? ref.primaryKey : [ref.primaryKey ?? '']).map(strip);
      expect(table.primaryKey).toEqual(refKey);
      const ours = table.indexes.filter((i) => !i.columns.includes('pixelId'));
      expect(ours).toEqual((ref.indexes ?? []).map((i) => ({ name: i.name, columns: i.columns.map(strip) })));
    });
  }

  it('keeps the HTM20 pixelId dax_apdb adds, indexed, on DiaObject, DiaObjectLast and DiaSource', () => {
    for (const name of ['DiaObject', 'DiaObjectLast', 'DiaSource']) {
      const table = APDB_TABLES.find((t) => t.name === name);
      expect(table?.columns.find((c) => c.name === 'pixelId')).toMatchObject({
        type: 'long',
        nullable: false,
      });
      expect(table?.indexes.some((i) => i.columns[0] === 'pixelId')).toBe(true);
    }
  });
});
