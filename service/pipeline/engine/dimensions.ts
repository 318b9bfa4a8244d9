// The dimensions dataset types may use (a subset of the Butler's universe) and restriction of a
// quantum's data ID to one dataset type's dimensions.

import type { DataId } from '../../ports/dataset-repository';

export const DIMENSIONS = [
  'instrument',
  'day_obs',
  'group',
  'exposure',
  'visit',
  'detector',
  'physical_filter',
  'band',
  'skymap',
  'tract',
  'patch',
  'htm7',
] as const;

export type Dimension = (typeof DIMENSIONS)[number];

/** The values of `dataId` for `dimensions`; dimensions the data ID lacks are left out. */
export function restrictDataId(dataId: DataId, dimensions: readonly Dimension[]): DataId {
  const out: Record<string, string | number> = {};
  for (const d of dimensions) {
    const value = dataId[d];
    if (value !== undefined) out[d] = value;
  }
  return out;
}

/** Dimensions of `dimensions` that `dataId` does not give. */
export function unknownDimensions(dataId: DataId, dimensions: readonly Dimension[]): Dimension[] {
  return dimensions.filter((d) => dataId[d] === undefined);
}
