// The per-pixel ISR steps after assembly, over detector-sized typed arrays, in electrons.
// They update the arrays they are given: ISR owns the image it assembled and no one else sees it yet.

import type { Box } from '../../../domain/camera-geometry/box';
import type { DetectorGeometry } from '../../../domain/camera-geometry/detector-geometry';
import { MaskBit } from '../../../domain/image/mask-bits';

export interface DetectorCalibrations {
  /** Master bias, e-. */
  readonly bias?: Float32Array;
  /** Master dark, e-/s, applied × `darkTimeSeconds`. */
  readonly dark?: Float32Array;
  readonly darkTimeSeconds?: number;
  /** Master flat, relative response. */
  readonly flat?: Float32Array;
}

/**
 * Bias, variance, dark and flat in one pass over each amp's pixels (four passes over 16 MP cost
 * about twice as much as one). Per pixel, in electrons:
 *   v = image − bias;  variance = max(v, 0) + read noise²  (before the dark, so dark electrons count)
 *   v −= dark × t;     then ÷ flat (variance ÷ flat²).
 * Pixels with no usable response (flat ≤ 0 or not finite) get 0, infinite variance and NO_DATA | BAD.
 * `variance` undefined skips the variance plane.
 */
export function applyCalibrations(
  image: Float32Array,
  variance: Float32Array | undefined,
  mask: Uint16Array,
  geometry: DetectorGeometry,
  calibrations: DetectorCalibrations,
): void {
  const { bias, dark, flat } = calibrations;
  const darkTime = dark ? (calibrations.darkTimeSeconds ?? 0) : 0;
  const dead = MaskBit.NO_DATA | MaskBit.BAD;
  for (const amp of geometry.amps) {
    const readVariance = amp.readNoise * amp.readNoise;
    const { bbox } = amp;
    for (let y = bbox.y0; y < bbox.y0 + bbox.height; y++) {
      const end = y * geometry.width + bbox.x0 + bbox.width;
      for (let i = y * geometry.width + bbox.x0; i < end; i++) {
        let v = image[i] as number;
        if (bias) v -= bias[i] as number;
        let w = Math.max(v, 0) + readVariance;
        if (darkTime > 0) v -= ((dark as Float32Array)[i] as number) * darkTime;
        if (flat) {
          const f = flat[i] as number;
          if (f > 0 && f < Number.POSITIVE_INFINITY) {
            v /= f;
            w /= f * f;
          } else {
            v = 0;
            w = Number.POSITIVE_INFINITY;
            mask[i] = (mask[i] as number) | dead;
          }
        }
        image[i] = v;
        if (variance) variance[i] = w;
      }
    }
  }
}

/** ORs `bit` into the mask over each box (clipped to the image). */
export function maskBoxes(
  mask: Uint16Array,
  width: number,
  height: number,
  boxes: readonly Box[],
  bit: number,
): void {
  for (const b of boxes) {
    const x0 = Math.max(0, b.x0);
    const x1 = Math.min(width, b.x0 + b.width);
    const y0 = Math.max(0, b.y0);
    const y1 = Math.min(height, b.y0 + b.height);
    for (let y = y0; y < y1; y++) {
      for (let i = y * width + x0; i < y * width + x1; i++) mask[i] = (mask[i] as number) | bit;
    }
  }
}

/**
 * Replaces each box's pixels, row by row, with the straight line between the nearest pixels left
 * and right of it (the one side when the other is off the image), image and variance alike, and
 * flags them INTRP: a defect (a hot column, a dead cluster) then no longer looks like a source to
 * detection, as upstream's defect interpolation does. Cost is proportional to the boxes' area.
 */
export function interpolateOverBoxes(
  image: Float32Array,
  variance: Float32Array | undefined,
  mask: Uint16Array,
  width: number,
  height: number,
  boxes: readonly Box[],
): void {
  const planes = variance ? [image, variance] : [image];
  for (const b of boxes) {
    const x0 = Math.max(0, b.x0);
    const x1 = Math.min(width, b.x0 + b.width);
    if (x0 >= x1 || (x0 === 0 && x1 === width)) continue; // nothing to interpolate from
    const y0 = Math.max(0, b.y0);
    const y1 = Math.min(height, b.y0 + b.height);
    const span = x1 - x0 + 1;
    for (let y = y0; y < y1; y++) {
      const row = y * width;
      for (const plane of planes) {
        const left = x0 > 0 ? (plane[row + x0 - 1] as number) : (plane[row + x1] as number);
        const right = x1 < width ? (plane[row + x1] as number) : left;
        for (let x = x0; x < x1; x++) plane[row + x] = left + ((right - left) * (x - x0 + 1)) / span;
      }
      for (let i = row + x0; i < row + x1; i++) mask[i] = (mask[i] as number) | MaskBit.INTRP;
    }
  }
}
