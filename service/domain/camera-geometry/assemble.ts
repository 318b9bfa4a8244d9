// Assembly: copying each amp's imaging section from the raw into its place in the detector image,
// undoing the readout flips. One pass per amp over typed arrays; ISR fuses its overscan subtraction,
// gain and saturation test into the same pass.

import type { AmpGeometry } from './detector-geometry';
import type { RawDetector, RawPixels } from './raw-detector';

export interface AmpAssembly {
  /** Subtracted from each raw row (indexed by the amp's raw row, layout-relative). */
  readonly rowLevels?: Float64Array;
  /** Subtracted from each data column (indexed by data column, raw order). */
  readonly columnLevels?: Float64Array;
  /** Multiplies the result (the gain, to get electrons). Default 1. */
  readonly scale?: number;
  /** With `saturation`: pixels whose raw value is at or above it get `saturatedBit` here. */
  readonly mask?: Uint16Array;
  readonly saturation?: number;
  readonly saturatedBit?: number;
  /** With `mask`: raw values at or above `suspect` (and below saturation) get `suspectBit`. */
  readonly suspect?: number;
  readonly suspectBit?: number;
}

/** Writes one amp's data section, corrected as `options` say, into `target` (detector-sized). */
export function assembleAmp(
  raw: RawPixels,
  rawWidth: number,
  amp: AmpGeometry,
  target: Float32Array,
  targetWidth: number,
  options: AmpAssembly = {},
): void {
  const { data } = amp.layout;
  const { rowLevels, columnLevels, mask } = options;
  const scale = options.scale ?? 1;
  const saturation = mask && options.saturation !== undefined ? options.saturation : Number.POSITIVE_INFINITY;
  const satBit = options.saturatedBit ?? 0;
  const suspect = Math.min(saturation, mask && options.suspect !== undefined ? options.suspect : saturation);
  const suspectBit = options.suspectBit ?? 0;
  const columns = columnLevels ?? new Float64Array(data.width);
  const step = amp.flipX ? -1 : 1;
  for (let r = 0; r < data.height; r++) {
    const rawRow = data.y0 + r;
    const level = rowLevels ? (rowLevels[rawRow] as number) : 0;
    let src = (amp.rawY0 + rawRow) * rawWidth + amp.rawX0 + data.x0;
    const dy = amp.flipY ? data.height - 1 - r : r;
    const rowStart = (amp.bbox.y0 + dy) * targetWidth + amp.bbox.x0;
    let dst = amp.flipX ? rowStart + data.width - 1 : rowStart;
    for (let c = 0; c < data.width; c++, src++, dst += step) {
      const value = raw[src] as number;
      target[dst] = (value - level - (columns[c] as number)) * scale;
      if (value >= suspect) {
        const bit = value >= saturation ? satBit : suspectBit;
        (mask as Uint16Array)[dst] = ((mask as Uint16Array)[dst] as number) | bit;
      }
    }
  }
}

/** The detector image of a raw as it is (ADU, nothing subtracted): geometry only. */
export function assembleDetector(raw: RawDetector): Float32Array {
  const { geometry } = raw;
  const target = new Float32Array(geometry.width * geometry.height);
  for (const amp of geometry.amps) {
    const image = imageOf(raw, amp);
    assembleAmp(image.pixels, image.width, amp, target, geometry.width);
  }
  return target;
}

export function imageOf(raw: RawDetector, amp: AmpGeometry) {
  const image = raw.images[amp.image];
  if (image === undefined) throw new Error(`raw has no image ${amp.image} for amp ${amp.name}`);
  return image;
}
