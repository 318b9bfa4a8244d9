// Building, encoding and decoding lsst.v11_0 alert packets. Rows (from association or read back from
// the APDB) are turned into Avro records field by field from the schema itself: a field the row lacks
// becomes null when the schema allows it and the type's zero otherwise; numbers become BigInt for
// longs. So the APDB columns the Avro schema leaves out (pixelId, validityEnd…) are simply not sent.

import type avro from 'avsc';
import type { DiaObjectRecord } from '../domain/apdb/apdb-records';
import { BANDS } from '../domain/apdb/apdb-tables';
import { ALERT_SCHEMA_ID, type AlertSchema } from './alert-schema';
import { FRAME_HEADER_BYTES, unframeAlert, writeFrameHeader } from './wire-format';

export type Row = Readonly<Record<string, unknown>>;

export interface AlertContent {
  /** The DiaSource with visit, detector and timeProcessedMjdTai. */
  readonly diaSource: Row;
  readonly prvDiaSources: readonly Row[];
  readonly prvDiaForcedSources: readonly Row[];
  readonly diaObject: Row | null;
  readonly cutoutDifference: Uint8Array | null;
  readonly cutoutScience: Uint8Array | null;
  readonly cutoutTemplate: Uint8Array | null;
}

/** The record avsc encodes for one alert. */
export function alertRecord(schema: AlertSchema, content: AlertContent): Record<string, unknown> {
  return toAvro(schema.alert, {
    diaSourceId: content.diaSource.diaSourceId,
    observation_reason: null,
    target_name: null,
    diaSource: content.diaSource,
    prvDiaSources: content.prvDiaSources,
    prvDiaForcedSources: content.prvDiaForcedSources,
    diaObject: content.diaObject,
    ssSource: null,
    mpc_orbits: null,
    cutoutDifference: content.cutoutDifference,
    cutoutScience: content.cutoutScience,
    cutoutTemplate: content.cutoutTemplate,
  }) as Record<string, unknown>;
}

/** Confluent-framed schemaless Avro: what goes on the alert topic. */
export function encodeAlert(schema: AlertSchema, record: Record<string, unknown>): Buffer {
  return alertEncoder(schema)(record);
}

/**
 * encodeAlert for many alerts: each is written once into a scratch buffer that grows to the largest
 * alert, after the framing header, then copied out. (avsc's toBuffer writes into a 1 KiB buffer
 * first and, for anything larger — every alert with cutouts — writes the whole alert a second time.)
 */
export function alertEncoder(schema: AlertSchema): (record: Record<string, unknown>) => Buffer {
  let scratch = Buffer.allocUnsafe(64 * 1024);
  return (record) => {
    for (;;) {
      const end = schema.alert.encode(record, scratch, FRAME_HEADER_BYTES);
      if (end >= 0) {
        const message = Buffer.from(scratch.subarray(0, end));
        writeFrameHeader(message, ALERT_SCHEMA_ID);
        return message;
      }
      // A negative end is minus the bytes that did not fit.
      scratch = Buffer.allocUnsafe(2 * (scratch.length - end));
    }
  };
}

export class AlertDecodeError extends Error {
  override readonly name = 'AlertDecodeError';
}

export function decodeAlert(schema: AlertSchema, message: Buffer): Record<string, unknown> {
  const { schemaId, body } = unframeAlert(message);
  if (schemaId !== ALERT_SCHEMA_ID) {
    throw new AlertDecodeError(
      `alert carries schema id ${schemaId}, this reader knows ${ALERT_SCHEMA_ID} (lsst.v11_0)`,
    );
  }
  return schema.alert.fromBuffer(body) as Record<string, unknown>;
}

/** The DiaObject columns of a new version (per-band means flattened, validity starting at the visit). */
export function diaObjectRow(record: DiaObjectRecord, validityStartMjdTai: number): Row {
  const row: Record<string, unknown> = { ...record, validityStartMjdTai };
  delete row.psfFlux;
  for (const band of BANDS) {
    const flux = record.psfFlux?.[band];
    row[`${band}_psfFluxMean`] = flux?.mean ?? null;
    row[`${band}_psfFluxMeanErr`] = flux?.meanErr ?? null;
    row[`${band}_psfFluxNdata`] = flux?.ndata ?? 0;
  }
  return row;
}

interface FieldLike {
  readonly name: string;
  readonly type: avro.Type;
}

type Converter = (value: unknown) => unknown;

/** One converter per schema type, built once: an alert walks ~200 fields, thousands of times a visit. */
const converters = new WeakMap<avro.Type, Converter>();

function toAvro(type: avro.Type, value: unknown): unknown {
  return converterFor(type)(value);
}

function converterFor(type: avro.Type): Converter {
  let converter = converters.get(type);
  if (!converter) {
    // Registered before it is built, so a recursive type refers to itself instead of looping.
    converters.set(type, (value) => (converters.get(type) as Converter)(value));
    converter = buildConverter(type);
    converters.set(type, converter);
  }
  return converter;
}

function buildConverter(type: avro.Type): Converter {
  switch (type.typeName) {
    case 'record': {
      const fields = (type as unknown as { fields: FieldLike[] }).fields.map(
        (field) => [field.name, converterFor(field.type)] as const,
      );
      return (value) => {
        const row = (value ?? {}) as Row;
        const out: Record<string, unknown> = {};
        for (const [name, convert] of fields) out[name] = convert(row[name]);
        return out;
      };
    }
    case 'union:unwrapped':
    case 'union:wrapped': {
      const branches = (type as unknown as { types: avro.Type[] }).types;
      const nullable = branches.some((b) => b.typeName === 'null');
      const first = converterFor(branches[0] as avro.Type);
      const other = converterFor(branches.find((b) => b.typeName !== 'null') as avro.Type);
      return (value) => {
        if (value === null || value === undefined) return nullable ? null : first(value);
        if (typeof value === 'number' && Number.isNaN(value) && nullable) return null;
        return other(value);
      };
    }
    case 'array': {
      const item = converterFor((type as unknown as { itemsType: avro.Type }).itemsType);
      return (value) => ((value ?? []) as unknown[]).map(item);
    }
    case 'long':
    case 'abstract:long':
      return (value) => (typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value ?? 0))));
    case 'int':
      return (value) => Math.trunc(Number(value ?? 0));
    case 'float':
    case 'double':
      return (value) => Number(value ?? 0);
    case 'boolean':
      return (value) => Boolean(value);
    case 'string':
      return (value) => String(value ?? '');
    case 'bytes':
      // A view of the caller's bytes: avsc copies them into the encoded message anyway.
      return (value) => {
        const bytes = (value ?? new Uint8Array()) as Uint8Array;
        return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      };
    default:
      return (value) => value;
  }
}
