// Peaks inside footprints, and the simple deblending measurement needs: every local maximum of the
// filtered image is a candidate, and a fainter one becomes its own source only if the filtered image
// dips by `prominenceSigma`·σ between it and every brighter peak already kept — so a close pair of
// stars gives two sources while noise bumps on a bright star's flank do not.

import type { Footprints } from './footprints';

export interface PeakOptions {
  /** Required dip between two kept peaks, in σ of the filtered image at the fainter one. */
  readonly prominenceSigma: number;
  /** Noise factor of the filtered image (Σk²): σ_filtered² = noiseFactor · variance. */
  readonly noiseFactor: number;
  /** At most this many sources from one footprint (brightest first). */
  readonly maxPeaksPerFootprint: number;
}

export interface Peaks {
  readonly count: number;
  readonly x: Int32Array;
  readonly y: Int32Array;
  /** Filtered value at the peak. */
  readonly value: Float32Array;
  readonly footprint: Int32Array;
  /** Peaks kept in each footprint (≥ 1). */
  readonly peaksInFootprint: Int32Array;
}

export function findPeaks(
  filtered: Float32Array,
  variance: Float32Array,
  width: number,
  footprints: Footprints,
  options: PeakOptions,
): Peaks {
  const outX: number[] = [];
  const outY: number[] = [];
  const outValue: number[] = [];
  const outFootprint: number[] = [];
  const peaksInFootprint = new Int32Array(footprints.count);
  const candidates: number[] = [];
  for (let f = 0; f < footprints.count; f++) {
    candidates.length = 0;
    localMaxima(filtered, width, footprints, f, candidates);
    candidates.sort((a, b) => (filtered[b] as number) - (filtered[a] as number));
    const firstKept = outX.length;
    for (const index of candidates) {
      if (outX.length - firstKept >= options.maxPeaksPerFootprint) break;
      const x = index % width;
      const y = (index - x) / width;
      const value = filtered[index] as number;
      const dip =
        options.prominenceSigma * Math.sqrt(options.noiseFactor * Math.max(0, variance[index] as number));
      let separate = true;
      for (let k = firstKept; k < outX.length && separate; k++) {
        separate = minimumAlong(filtered, width, x, y, outX[k] as number, outY[k] as number) <= value - dip;
      }
      if (!separate) continue;
      outX.push(x);
      outY.push(y);
      outValue.push(value);
      outFootprint.push(f);
    }
    peaksInFootprint[f] = outX.length - firstKept;
  }
  return {
    count: outX.length,
    x: Int32Array.from(outX),
    y: Int32Array.from(outY),
    value: Float32Array.from(outValue),
    footprint: Int32Array.from(outFootprint),
    peaksInFootprint,
  };
}

/** Pixels of footprint f that beat their 8 neighbours (ties go to the earlier pixel in scan order). */
function localMaxima(
  filtered: Float32Array,
  width: number,
  footprints: Footprints,
  f: number,
  out: number[],
): void {
  for (let r = footprints.runStart[f] as number; r < (footprints.runStart[f + 1] as number); r++) {
    const row = (footprints.runY[r] as number) * width;
    for (let x = footprints.runX0[r] as number; x <= (footprints.runX1[r] as number); x++) {
      const i = row + x;
      const v = filtered[i] as number;
      if (
        v > (filtered[i - width - 1] as number) &&
        v > (filtered[i - width] as number) &&
        v > (filtered[i - width + 1] as number) &&
        v > (filtered[i - 1] as number) &&
        v >= (filtered[i + 1] as number) &&
        v >= (filtered[i + width - 1] as number) &&
        v >= (filtered[i + width] as number) &&
        v >= (filtered[i + width + 1] as number)
      ) {
        out.push(i);
      }
    }
  }
}

/** Smallest filtered value on the straight segment between two pixels (nearest-pixel sampling). */
function minimumAlong(
  filtered: Float32Array,
  width: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): number {
  const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0));
  let minimum = Number.POSITIVE_INFINITY;
  for (let s = 0; s <= steps; s++) {
    const t = steps === 0 ? 0 : s / steps;
    const x = Math.round(x0 + t * (x1 - x0));
    const y = Math.round(y0 + t * (y1 - y0));
    const v = filtered[y * width + x] as number;
    if (v < minimum) minimum = v;
  }
  return minimum;
}
