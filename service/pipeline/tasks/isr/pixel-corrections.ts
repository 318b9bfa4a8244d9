// The per-pixel ISR steps after assembly, each one pass over detector-sized typed arrays, in electrons.
// They update the arrays they are given: ISR owns the image it assembled and no one else sees it yet.

import type { Box } from '../../../domain/camera-geometry/box';
import type { DetectorGeometry } from '../../../domain/camera-geometry/detector-geometry';
import { MaskBit } from '../../../domain/image/mask-bits';

export function subtractBias(image: Float32Array, bias: Float32Array): void {
  for (let i = 0; i < image.length; i++) image[i] = (image[i] as number) - (bias[i] as number);
}

/** Subtracts dark current (e-/s) times the exposure's dark time. */
export function subtractDark(image: Float32Array, dark: Float32Array, darkTimeSeconds: number): void {
  for (let i = 0; i < image.length; i++)
    image[i] = (image[i] as number) - (dark[i] as number) * darkTimeSeconds;
}

/**
 * The variance of each pixel in e-²: Poisson (the signal itself, floored at 0) plus the amp's read
 * noise squared. Computed after bias subtraction and before the dark, so dark electrons count as signal.
 */
export function fillVariance(image: Float32Array, variance: Float32Array, geometry: DetectorGeometry): void {
  for (const amp of geometry.amps) {
    const readVariance = amp.readNoise * amp.readNoise;
    forEachRow(amp.bbox, geometry.width, (start, end) => {
      for (let i = start; i < end; i++) {
        variance[i] = Math.max(image[i] as number, 0) + readVariance;
      }
    });
  }
}

/**
 * Divides by the flat (and the variance by its square). Pixels with no usable response (flat ≤ 0 or
 * not finite) get 0, infinite variance and NO_DATA | BAD.
 */
export function divideFlat(
  image: Float32Array,
  variance: Float32Array | undefined,
  mask: Uint16Array,
  flat: Float32Array,
): void {
  const dead = MaskBit.NO_DATA | MaskBit.BAD;
  for (let i = 0; i < image.length; i++) {
    const f = flat[i] as number;
    if (f > 0 && f < Number.POSITIVE_INFINITY) {
      image[i] = (image[i] as number) / f;
      if (variance) variance[i] = (variance[i] as number) / (f * f);
    } else {
      image[i] = 0;
      if (variance) variance[i] = Number.POSITIVE_INFINITY;
      mask[i] = (mask[i] as number) | dead;
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

function forEachRow(b: Box, width: number, visit: (start: number, end: number) => void): void {
  for (let y = b.y0; y < b.y0 + b.height; y++) visit(y * width + b.x0, y * width + b.x0 + b.width);
}
