// Object-store bucket names. Shared environments follow upstream (one raw bucket for all
// instruments, keys start with the instrument name); isolated environments get buckets of their own
// per instrument so nothing one developer does reaches another's data.

import type { Instrument } from './instruments';

export interface Buckets {
  /** Raw images and sidecars from the camera or tester (the service's IMAGE_BUCKET). */
  readonly raw: string;
  /** Central repo, APDB configs and other shared inputs (upstream's `*-users` bucket). */
  readonly users: string;
}

/** Upstream's shared dev buckets. */
export const USDF_DEV_BUCKET_BASE = 'rubin-pp-dev';
/** Upstream's production buckets at USDF. */
export const USDF_PROD_BUCKET_BASE = 'rubin-summit';

/**
 * Bucket names from a base name. Pass `instrument` to give the instrument buckets of its own
 * (`dev-alice-pp-latiss`, `dev-alice-pp-latiss-users`).
 */
export function bucketNames(base: string, instrument?: Instrument): Buckets {
  const raw = instrument ? `${base}-${instrument.slug}` : base;
  return { raw, users: `${raw}-users` };
}

/** Key prefix under which an instrument's raws arrive (both key styles start with the instrument). */
export function rawKeyPrefix(instrument: Instrument): string {
  return `${instrument.name}/`;
}
