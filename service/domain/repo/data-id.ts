// Data ids: the dimension values that name a dataset (`{instrument: 'LSSTCam', detector: 42,
// exposure: 2024032100720}`). Validation and the canonical text form the registry keys datasets on.

import { DIMENSION_ORDER, dimension } from './dimensions';
import { DataIdError } from './repo-errors';

export type DataIdValue = string | number;
export type DataId = Readonly<Record<string, DataIdValue>>;

function checkValue(name: string, value: unknown, context: string): DataIdValue {
  const element = dimension(name);
  if (!element) throw new DataIdError(`${context}: "${name}" is not a dimension of this repo's universe`);
  if (element.key === 'string') {
    if (typeof value !== 'string' || value.length === 0)
      throw new DataIdError(`${context}: ${name} must be a non-empty string, got ${JSON.stringify(value)}`);
    return value;
  }
  const number = typeof value === 'bigint' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number))
    throw new DataIdError(`${context}: ${name} must be an integer, got ${JSON.stringify(String(value))}`);
  const range = element.keyRange;
  if (range && (number < range[0] || number > range[1]))
    throw new DataIdError(`${context}: ${name} ${number} is outside [${range[0]}, ${range[1]}]`);
  return number;
}

/**
 * Checks that `dataId` has exactly `dimensions` as keys with values of the right type, and returns
 * it with keys in universe order (integers given as bigint become numbers).
 */
export function normalizeDataId(
  raw: Readonly<Record<string, unknown>>,
  dimensions: readonly string[],
  context: string,
): DataId {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new DataIdError(`${context}: a data id is an object of dimension values`);
  const given = Object.keys(raw);
  const missing = dimensions.filter((d) => !(d in raw));
  const extra = given.filter((k) => !dimensions.includes(k));
  if (missing.length > 0 || extra.length > 0) {
    const parts = [
      missing.length > 0 ? `missing ${missing.join(', ')}` : '',
      extra.length > 0 ? `unexpected ${extra.join(', ')}` : '',
    ].filter(Boolean);
    throw new DataIdError(
      `${context}: data id ${describe(raw)} ${parts.join('; ')} (needs ${dimensions.join(', ')})`,
    );
  }
  const normalized: Record<string, DataIdValue> = {};
  for (const name of sortDimensions(dimensions)) normalized[name] = checkValue(name, raw[name], context);
  return normalized;
}

/** Checks a partial data id used to filter queries: known dimensions, right types, any subset. */
export function normalizeDataIdFilter(raw: Readonly<Record<string, unknown>>, context: string): DataId {
  const normalized: Record<string, DataIdValue> = {};
  for (const name of sortDimensions(Object.keys(raw)))
    normalized[name] = checkValue(name, raw[name], context);
  return normalized;
}

export function sortDimensions(names: readonly string[]): string[] {
  return [...names].sort((a, b) => rank(a) - rank(b));
}

function rank(name: string): number {
  const index = DIMENSION_ORDER.indexOf(name);
  return index < 0 ? Number.MAX_SAFE_INTEGER : index;
}

/** `instrument=LSSTCam/detector=42/exposure=2024032100720`: unique per data id, used as a key. */
export function dataIdKey(dataId: DataId): string {
  return Object.entries(dataId)
    .map(([name, value]) => `${name}=${value}`)
    .join('/');
}

function describe(raw: unknown): string {
  return JSON.stringify(raw, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Parses `instrument=LSSTCam,detector=42` (CLI form); integer-keyed dimensions become numbers. */
export function parseDataIdText(text: string): Record<string, DataIdValue> {
  const result: Record<string, DataIdValue> = {};
  for (const part of text.split(',').filter(Boolean)) {
    const match = /^([a-z_0-9]+)=(.+)$/.exec(part.trim());
    if (!match?.[1] || match[2] === undefined)
      throw new DataIdError(`"${part}" is not name=value (e.g. instrument=LSSTCam,detector=42)`);
    const element = dimension(match[1]);
    result[match[1]] = element?.key === 'int' && /^-?\d+$/.test(match[2]) ? Number(match[2]) : match[2];
  }
  return result;
}
