// A small LSSTCam detector for ISR tests: 16 amps of 64×128 imaging pixels with real-width prescan
// and overscan, per-amp gains and read noise drawn from a seed, and per-amp bias levels with a row slope.

import {
  type DetectorGeometry,
  detectorGeometry,
  withAmpElectronics,
} from '../../../service/domain/camera-geometry';
import { seededRandom } from '../../../service/domain/synthetic/random';
import type { AmpBias } from '../../../tester/synthetic/simulate-raw';

export function scaledDetector(detector = 'R01_S00', seed = 1): DetectorGeometry {
  const random = seededRandom(seed);
  return withAmpElectronics(
    detectorGeometry('LSSTCam', detector, { ampSize: { dataWidth: 64, dataHeight: 128 } }),
    () => ({
      gain: 1.2 + 0.6 * random.uniform(),
      readNoise: 5 + 3 * random.uniform(),
    }),
  );
}

export function ampBiases(count: number, seed: number, columnRipple = 0): AmpBias[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => ({
    level: 12_000 + 10_000 * random.uniform(),
    rowSlope: 0.02 * (random.uniform() - 0.5),
    columnRipple,
  }));
}

/** Mean of the values of one box of a row-major image. */
export function boxMean(
  image: Float32Array,
  width: number,
  box: { x0: number; y0: number; width: number; height: number },
  skip?: (i: number) => boolean,
): { mean: number; count: number } {
  let sum = 0;
  let count = 0;
  for (let y = box.y0; y < box.y0 + box.height; y++) {
    for (let i = y * width + box.x0; i < y * width + box.x0 + box.width; i++) {
      if (skip?.(i)) continue;
      sum += image[i] as number;
      count++;
    }
  }
  return { mean: sum / count, count };
}
