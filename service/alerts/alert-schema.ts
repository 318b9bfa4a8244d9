// The lsst.v11_0 alert schema as avsc types. Sub-schemas are parsed before the alert into one named-type
// registry (the alert refers to them by full name), and every Avro `long` is a BigInt: DiaSource ids
// exceed 2^53, where plain numbers lose precision (avsc's own long throws on them).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';

/** Confluent schema-registry id of lsst.v11_0: MAJOR·100 + MINOR. */
export const ALERT_SCHEMA_ID = 1100;
export const ALERT_SCHEMA_NAME = 'lsst.v11_0.alert';

const SCHEMA_DIR = join(__dirname, 'schema');
const SUB_SCHEMAS = ['diaSource', 'diaForcedSource', 'diaObject', 'ssSource', 'mpc_orbits'];

export interface AlertSchema {
  readonly alert: avro.Type;
  /** The named types the alert uses, by full name (lsst.v11_0.diaSource, …). */
  readonly registry: Readonly<Record<string, avro.Type>>;
}

/** A long read and written as BigInt, the full signed 64-bit range. */
export const bigIntLong = avro.types.LongType.__with({
  fromBuffer: (buffer: Buffer) => buffer.readBigInt64LE(),
  toBuffer: (value: bigint) => {
    const buffer = Buffer.alloc(8);
    buffer.writeBigInt64LE(value);
    return buffer;
  },
  fromJSON: (value: number | string | bigint) => BigInt(value),
  toJSON: (value: bigint) => Number(value),
  isValid: (value: unknown) => typeof value === 'bigint',
  compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
});

export class AlertSchemaError extends Error {
  override readonly name = 'AlertSchemaError';
}

/** Parses the shipped schema files (or those in `dir`) into avsc types. */
export function loadAlertSchema(dir = SCHEMA_DIR): AlertSchema {
  const registry: Record<string, avro.Type> = { long: bigIntLong };
  const parse = (name: string): avro.Type => {
    const file = join(dir, `lsst.v11_0.${name}.avsc`);
    let schema: avro.Schema;
    try {
      schema = JSON.parse(readFileSync(file, 'utf8')) as avro.Schema;
    } catch (error) {
      throw new AlertSchemaError(`cannot read alert schema ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    return avro.Type.forSchema(schema, { registry });
  };
  for (const name of SUB_SCHEMAS) parse(name);
  const alert = parse('alert');
  return { alert, registry };
}
