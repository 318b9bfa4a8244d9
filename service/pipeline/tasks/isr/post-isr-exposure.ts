// What ISR hands on: the detector's exposure in electrons (the `Exposure` every later task reads) and
// what ISR measured per amp on the way.

import type { Exposure } from '../../../domain/image/exposure';

export interface AmpIsrStatistics {
  readonly amp: string;
  /** Mean serial overscan level over the data rows, ADU. */
  readonly overscanLevel: number;
  /** Overscan noise, ADU (× gain = read noise in e-). */
  readonly overscanNoise: number;
  readonly saturatedPixels: number;
}

export interface IsrResult {
  readonly exposure: Exposure;
  readonly amps: readonly AmpIsrStatistics[];
}
