// Storage classes: the in-memory types datasets have while a pipeline runs. Each has a name (used in
// the YAML) and a guard the engine applies to every value read or written, so a task that returns the
// wrong thing fails at the task, not three tasks later.

import { Header } from '../../domain/fits';
import type { Exposure } from '../../domain/image/exposure';
import type { GaussianPsf } from '../../domain/measurement/psf-model';
import type { SourceCatalog } from '../../domain/measurement/source-catalog';
import type { AstrometricSolution, ReferenceCatalog } from '../../domain/wcs/refine-wcs';
import type { Background } from '../tasks/background/background';
import type { Defects } from '../tasks/isr/calibrations';
import type { RawExposure } from '../tasks/isr/raw-exposure';

export type { Exposure } from '../../domain/image/exposure';

export interface StorageClassTypes {
  /** One detector's raw as read from the camera's file(s), with its primary header (`rawExposureFromFits`). */
  Raw: RawExposure;
  /** A masked image with its header: ISR's output, the other image tasks' input, and master calibrations. */
  Exposure: Exposure;
  /** The known bad regions of a detector (a calibration). */
  Defects: Defects;
  /** The fitted background: mesh levels and the interpolated image that was subtracted. */
  Background: Background;
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
  Raw: (v): v is RawExposure =>
    isObject(v) &&
    'raw' in v &&
    isObject(v.raw) &&
    'geometry' in v.raw &&
    'metadata' in v &&
    v.metadata instanceof Header &&
    'info' in v &&
    isObject(v.info),
  Exposure: (v): v is Exposure =>
    isObject(v) &&
    'image' in v &&
    v.image instanceof Float32Array &&
    'variance' in v &&
    v.variance instanceof Float32Array &&
    'mask' in v &&
    v.mask instanceof Uint16Array &&
    'metadata' in v &&
    v.metadata instanceof Header,
  Defects: (v): v is Defects => isObject(v) && 'boxes' in v && Array.isArray(v.boxes),
  Background: (v): v is Background =>
    isObject(v) && 'mesh' in v && isObject(v.mesh) && 'image' in v && v.image instanceof Float32Array,
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
