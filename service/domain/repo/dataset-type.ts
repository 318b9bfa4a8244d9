// Dataset types (name, dimensions, storage class) and collection kinds, validated before they reach
// the registry.

import { sortDimensions } from './data-id';
import { DIMENSIONS, dimension } from './dimensions';
import { InvalidDefinitionError } from './repo-errors';

export interface DatasetTypeDefinition {
  readonly name: string;
  /** Sorted in universe order. */
  readonly dimensions: readonly string[];
  readonly storageClass: string;
  /** Calibration types may be certified into CALIBRATION collections with validity ranges. */
  readonly isCalibration: boolean;
}

export type CollectionType = 'RUN' | 'CHAINED' | 'CALIBRATION';
export const COLLECTION_TYPES: readonly CollectionType[] = ['RUN', 'CHAINED', 'CALIBRATION'];

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const STORAGE_CLASS = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Validates and normalizes a definition: known dimensions whose required parents are included. */
export function datasetTypeDefinition(input: {
  name: string;
  dimensions: readonly string[];
  storageClass: string;
  isCalibration?: boolean;
}): DatasetTypeDefinition {
  const { name, storageClass } = input;
  if (!NAME.test(name))
    throw new InvalidDefinitionError(
      `dataset type name "${name}" is not an identifier (letters, digits, _, . for components)`,
    );
  if (!STORAGE_CLASS.test(storageClass))
    throw new InvalidDefinitionError(
      `dataset type ${name}: storage class "${storageClass}" is not an identifier`,
    );
  const unknown = input.dimensions.filter((d) => !DIMENSIONS.has(d));
  if (unknown.length > 0)
    throw new InvalidDefinitionError(
      `dataset type ${name}: unknown dimension(s) ${unknown.join(', ')}; known: ${[...DIMENSIONS.keys()].join(', ')}`,
    );
  const dimensions = sortDimensions([...new Set(input.dimensions)]);
  for (const d of dimensions) {
    const missing = (dimension(d)?.requires ?? []).filter((r) => !dimensions.includes(r));
    if (missing.length > 0)
      throw new InvalidDefinitionError(
        `dataset type ${name}: dimension ${d} requires ${missing.join(', ')}; add it`,
      );
  }
  return { name, dimensions, storageClass, isCalibration: input.isCalibration ?? false };
}

export function sameDefinition(a: DatasetTypeDefinition, b: DatasetTypeDefinition): boolean {
  return (
    a.name === b.name &&
    a.storageClass === b.storageClass &&
    a.isCalibration === b.isCalibration &&
    a.dimensions.join(',') === b.dimensions.join(',')
  );
}

export function describeDefinition(d: DatasetTypeDefinition): string {
  return `${d.name}(${d.dimensions.join(', ')}) ${d.storageClass}${d.isCalibration ? ' [calibration]' : ''}`;
}

const COLLECTION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.\-/:+]*$/;

export function checkCollectionName(name: string): string {
  if (!COLLECTION_NAME.test(name) || name.length > 255)
    throw new InvalidDefinitionError(
      `collection name "${name}" has characters outside A-Z a-z 0-9 _ . - / : +`,
    );
  return name;
}
