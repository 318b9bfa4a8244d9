// Storage classes: the in-memory types datasets have while a pipeline runs. Each has a name (used in
// the YAML) and a guard the engine applies to every value read or written, so a task that returns the
// wrong thing fails at the task, not three tasks later.

import type { Header } from '../../domain/fits';
import type { MaskedImage } from '../../domain/image/masked-image';
import type { GaussianPsf } from '../../domain/measurement/psf-model';
import type { SourceCatalog } from '../../domain/measurement/source-catalog';
import type { AstrometricSolution, ReferenceCatalog } from '../../domain/wcs/refine-wcs';

/** A calibrated image with its header (ISR's output; the other image tasks' input). */
export interface Exposure extends MaskedImage {
  readonly metadata: Header;
}

export interface StorageClassTypes {
  /** A raw as read from the camera's files; ISR owns its shape. */
  Raw: object;
  Exposure: Exposure;
  /** A fitted background model; the background task owns its shape. */
  Background: object;
  Psf: GaussianPsf;
  SourceCatalog: SourceCatalog;
  ReferenceCatalog: ReferenceCatalog;
  AstrometricSolution: AstrometricSolution;
  /** DIA tables (DiaSource, DiaObject, DiaForcedSource); their tasks own the columns. */
  DataFrame: object;
  /** Written by the APDB association task to record that a visit–detector was stored. */
  ApdbMarker: object;
}

export type StorageClassName = keyof StorageClassTypes;

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

const GUARDS: { readonly [K in StorageClassName]: (value: unknown) => value is StorageClassTypes[K] } = {
  Raw: isObject,
  Exposure: (v): v is Exposure =>
    isObject(v) &&
    'image' in v &&
    v.image instanceof Float32Array &&
    'variance' in v &&
    v.variance instanceof Float32Array &&
    'mask' in v &&
    v.mask instanceof Uint16Array &&
    'metadata' in v,
  Background: isObject,
  Psf: (v): v is GaussianPsf => isObject(v) && 'kind' in v && v.kind === 'gaussian',
  SourceCatalog: (v): v is SourceCatalog =>
    isObject(v) && 'x' in v && v.x instanceof Float64Array && 'flags' in v,
  ReferenceCatalog: (v): v is ReferenceCatalog =>
    isObject(v) && 'ra' in v && v.ra instanceof Float64Array && 'dec' in v && v.dec instanceof Float64Array,
  AstrometricSolution: (v): v is AstrometricSolution => isObject(v) && 'wcs' in v && 'source' in v,
  DataFrame: isObject,
  ApdbMarker: isObject,
};

export const STORAGE_CLASS_NAMES = Object.keys(GUARDS) as StorageClassName[];

export function isStorageClassName(name: string): name is StorageClassName {
  return Object.hasOwn(GUARDS, name);
}

export function hasStorageClass<K extends StorageClassName>(
  value: unknown,
  storageClass: K,
): value is StorageClassTypes[K] {
  return GUARDS[storageClass](value);
}
