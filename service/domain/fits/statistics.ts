// Summary numbers of an image's physical pixels (what `prompt-fits info` shows): min, max, mean
// over finite values, and how many are NaN. One pass, no allocation.

import type { PhysicalPixels } from './scaling';

export interface PixelStatistics {
  /** Pixels that are not NaN. */
  readonly count: number;
  readonly nanCount: number;
  /** Null when every pixel is NaN or there are none. */
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
}

export function pixelStatistics(pixels: PhysicalPixels): PixelStatistics {
  if (pixels instanceof BigInt64Array || pixels instanceof BigUint64Array) return bigStatistics(pixels);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let nanCount = 0;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i] as number;
    if (Number.isNaN(v)) {
      nanCount++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return summary(pixels.length - nanCount, nanCount, min, max, sum);
}

function bigStatistics(pixels: BigInt64Array | BigUint64Array): PixelStatistics {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < pixels.length; i++) {
    // Doubles round beyond 2^53; a summary line can live with that.
    const v = Number(pixels[i] as bigint);
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return summary(pixels.length, 0, min, max, sum);
}

function summary(count: number, nanCount: number, min: number, max: number, sum: number): PixelStatistics {
  if (count === 0) return { count, nanCount, min: null, max: null, mean: null };
  return { count, nanCount, min, max, mean: sum / count };
}
