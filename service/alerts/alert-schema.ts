// The lsst.v11_0 alert schema as avsc types. Sub-schemas are parsed before the alert into one named-type
// registry (the alert refers to them by full name), and every Avro `long` is a BigInt: DiaSource ids
// exceed 2^53, where plain numbers lose precision (avsc's own long throws on them).

import avro from 'avsc';
import alertSchema from './schema/lsst.v11_0.alert.json';
import diaForcedSourceSchema from './schema/lsst.v11_0.diaForcedSource.json';
import diaObjectSchema from './schema/lsst.v11_0.diaObject.json';
import diaSourceSchema from './schema/lsst.v11_0.diaSource.json';
import mpcOrbitsSchema from './schema/lsst.v11_0.mpc_orbits.json';
import ssSourceSchema from './schema/lsst.v11_0.ssSource.json';

/** Confluent schema-registry id of lsst.v11_0: MAJOR·100 + MINOR. */
export const ALERT_SCHEMA_ID = 1100;
export const ALERT_SCHEMA_NAME = 'lsst.v11_0.alert';

/** In the order the alert needs them: sub-schemas first. */
const SUB_SCHEMAS: readonly object[] = [
  diaSourceSchema,
  diaForcedSourceSchema,
  diaObjectSchema,
  ssSourceSchema,
  mpcOrbitsSchema,
];

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

/** Parses the shipped schemas (service/alerts/schema/, see SOURCE.md) into avsc types. */
export function loadAlertSchema(): AlertSchema {
  const registry: Record<string, avro.Type> = { long: bigIntLong };
  for (const schema of SUB_SCHEMAS) avro.Type.forSchema(schema as avro.Schema, { registry });
  const alert = avro.Type.forSchema(alertSchema as avro.Schema, { registry });
  return { alert, registry };
}
