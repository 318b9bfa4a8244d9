// An exposure: a masked image with the header it came with and the facts about the observation that
// later tasks need. The one image type pipelines pass between tasks (storage class `Exposure`): ISR
// writes it, background, PSF, detection and astrometry read it, and master calibrations are stored as
// exposures too (upstream's ExposureF).

import type { Header } from '../fits';
import type { MaskedImage } from './masked-image';

/** The observation facts, decoded once from the camera's header words (FILTER vs FILTER01, ...). */
export interface ExposureInfo {
  readonly instrument: string;
  readonly detector: number;
  readonly detectorName: string;
  /** Physical filter (FILTER / FILTER01). */
  readonly filter?: string;
  readonly exposureTimeSeconds?: number;
  /** DARKTIME, or EXPTIME when the header has no dark time; what the master dark is scaled by. */
  readonly darkTimeSeconds: number;
  /** Exposure id (day_obs·10^5 + seq for LSST cameras, EXP-ID for HSC) when known. */
  readonly exposureId?: number;
  readonly groupId?: string;
}

export interface Exposure extends MaskedImage {
  /** The primary header's cards (the WCS among them), as the raw carried them. */
  readonly metadata: Header;
  /** Absent for images not read from a raw (a calibration, a test image). */
  readonly info?: ExposureInfo;
}
