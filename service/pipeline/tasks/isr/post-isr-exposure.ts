// What ISR hands on: the detector's masked image in electrons plus what later tasks need to know about
// the exposure and what ISR measured per amp.

import type { DetectorGeometry } from '../../../domain/camera-geometry/detector-geometry';
import type { Card } from '../../../domain/fits';
import type { MaskedImage } from '../../../domain/image/masked-image';

export interface ExposureMetadata {
  readonly instrument: string;
  readonly detector: number;
  readonly detectorName: string;
  /** Physical filter (FILTER / FILTER01). */
  readonly filter?: string;
  readonly exposureTimeSeconds?: number;
  readonly darkTimeSeconds?: number;
  /** Exposure id (day_obs·10^5 + seq for LSST cameras, EXP-ID for HSC) when known. */
  readonly exposureId?: number;
  readonly groupId?: string;
  /** Primary-header cards, kept for the WCS and anything else a later task reads. */
  readonly headerCards?: readonly Card[];
}

export interface AmpIsrStatistics {
  readonly amp: string;
  /** Mean serial overscan level over the data rows, ADU. */
  readonly overscanLevel: number;
  /** Overscan noise, ADU (× gain = read noise in e-). */
  readonly overscanNoise: number;
  readonly saturatedPixels: number;
}

export interface PostIsrExposure {
  readonly maskedImage: MaskedImage;
  readonly geometry: DetectorGeometry;
  readonly metadata?: ExposureMetadata;
  readonly amps: readonly AmpIsrStatistics[];
}
