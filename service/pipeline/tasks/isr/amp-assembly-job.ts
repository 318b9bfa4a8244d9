// The unit of work a worker thread does for ISR: fit and subtract the overscan of some amps and
// assemble them into a shared detector image. Plain data in and out (shared buffers for pixels), so
// the same function runs in the main thread and in a worker.

import { assembleAmp } from '../../../domain/camera-geometry/assemble';
import type { DetectorGeometry } from '../../../domain/camera-geometry/detector-geometry';
import type { RawImage } from '../../../domain/camera-geometry/raw-detector';
import { MaskBit } from '../../../domain/image/mask-bits';
import type { IsrConfig } from './isr-config';
import { fitOverscan } from './overscan';
import type { AmpIsrStatistics } from './post-isr-exposure';

export interface AmpAssemblyJob {
  readonly geometry: DetectorGeometry;
  readonly config: IsrConfig;
  /** Indices into geometry.amps this job handles. */
  readonly ampIndices: readonly number[];
  /** Raw images, in geometry image order (shared or copied into the worker). */
  readonly images: readonly RawImage[];
  /** Detector-sized outputs; shared between the jobs of one detector, each job writing its amps' boxes. */
  readonly image: Float32Array;
  readonly mask: Uint16Array;
}

export function runAmpAssemblyJob(job: AmpAssemblyJob): AmpIsrStatistics[] {
  const { geometry, config, image, mask } = job;
  return job.ampIndices.map((index) => {
    const amp = geometry.amps[index];
    const raw = amp ? job.images[amp.image] : undefined;
    if (amp === undefined || raw === undefined)
      throw new Error(`amp ${index} is not in ${geometry.detector.name}'s geometry`);
    const fit = fitOverscan(raw, amp, config.overscan);
    assembleAmp(raw.pixels, raw.width, amp, image, geometry.width, {
      rowLevels: fit.rowLevels,
      columnLevels: fit.columnLevels,
      scale: amp.gain,
      ...(config.doSaturation
        ? {
            mask,
            saturation: amp.saturation,
            saturatedBit: MaskBit.SAT,
            ...(amp.suspect !== undefined ? { suspect: amp.suspect, suspectBit: MaskBit.SUSPECT } : {}),
          }
        : {}),
    });
    return {
      amp: amp.name,
      overscanLevel: fit.meanLevel,
      overscanNoise: fit.noise,
      saturatedPixels: config.doSaturation ? countBit(mask, geometry.width, amp.bbox, MaskBit.SAT) : 0,
    };
  });
}

function countBit(
  mask: Uint16Array,
  width: number,
  b: { x0: number; y0: number; width: number; height: number },
  bit: number,
): number {
  let count = 0;
  for (let y = b.y0; y < b.y0 + b.height; y++) {
    for (let i = y * width + b.x0; i < y * width + b.x0 + b.width; i++)
      if (((mask[i] as number) & bit) !== 0) count++;
  }
  return count;
}
