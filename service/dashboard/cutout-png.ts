// Alert cutouts (FITS) as PNG for the dashboard. Science and template images get an asinh stretch
// from just below the sky to the 99.5th percentile, so faint sky and a bright core both stay visible;
// difference images a linear stretch symmetric around zero (zero is mid-grey, positive lighter,
// negative darker), so the sign of a residual reads at a glance. Either range spans at least a fixed
// number of robust sigmas, so a cutout of pure noise looks like quiet sky, not like full-contrast
// static. NaN pixels (off the image) get one fixed colour. Row 0 of
// a FITS image is its bottom row, so rows are flipped to show y upwards; each pixel becomes a square
// block (nearest neighbour) so a 30-pixel cutout is big enough to look at.

import { PNG } from 'pngjs';
import { type ImageHdu, physicalPixels, readFits } from '../domain/fits';

export type StretchKind = 'science' | 'template' | 'difference';

/** Colour of NaN pixels (off the detector or masked): a magenta no grey level can be mistaken for. */
export const NAN_RGB: readonly [number, number, number] = [200, 40, 120];

const HIGH_PERCENTILE = 0.995;
/** Black point below the median, in robust sigmas. */
const SKY_SIGMAS_BELOW = 2;
/** Least span of the stretch in robust sigmas: above the median (science) or each side of 0 (difference). */
const MIN_SPAN_SIGMAS = 20;
const MIN_DIFFERENCE_SIGMAS = 10;
/** asinh softening: larger compresses the bright end more. */
const ASINH_BETA = 10;
/** Percentiles are taken on at most this many pixels (a regular sample of bigger images). */
const MAX_SAMPLE = 65_536;
/** Default: enlarge until the longer side reaches this many screen pixels (up to ×8). */
const TARGET_SIDE = 120;

export interface CutoutPngOptions {
  /** Output pixels per image pixel. @default - enough for a ~120-px side, 1 to 8 */
  readonly scale?: number;
}

export class CutoutImageError extends Error {
  override readonly name = 'CutoutImageError';
}

export interface CutoutImage {
  readonly width: number;
  readonly height: number;
  /** Row-major, row 0 at the bottom (FITS order); NaN for undefined pixels. */
  readonly pixels: ArrayLike<number>;
}

/** The first 2-D image of a FITS file as floats. */
export function readCutoutImage(fits: Uint8Array): CutoutImage {
  const hdu = readFits(fits).hdus.find(
    (h): h is ImageHdu => h.kind === 'image' && h.axes.length === 2 && h.stored.length > 0,
  );
  if (!hdu) throw new CutoutImageError('the cutout holds no 2-D image HDU');
  const pixels = physicalPixels(hdu);
  if (pixels instanceof BigInt64Array || pixels instanceof BigUint64Array)
    throw new CutoutImageError('64-bit integer cutouts are not rendered; alerts carry 32-bit float images');
  return { width: hdu.axes[0] as number, height: hdu.axes[1] as number, pixels };
}

/** Display levels 0–255 per pixel (255 = brightest), or -1 for NaN; same order as the image. */
export function stretchLevels(image: CutoutImage, kind: StretchKind): Int16Array {
  const { pixels } = image;
  const levels = new Int16Array(pixels.length);
  const sorted = finiteSample(pixels);
  if (sorted.length === 0) return levels.fill(-1);
  const median = percentile(sorted, 0.5);
  // Half the 16–84 % spread: σ of a Gaussian, and blind to the few pixels of a source.
  const sigma = (percentile(sorted, 0.84) - percentile(sorted, 0.16)) / 2;
  const high = percentile(sorted, HIGH_PERCENTILE);
  if (kind === 'difference') {
    const extreme = Math.max(Math.abs(percentile(sorted, 1 - HIGH_PERCENTILE)), Math.abs(high));
    const limit = Math.max(extreme, MIN_DIFFERENCE_SIGMAS * sigma) || 1;
    const gain = 127.5 / limit;
    for (let i = 0; i < pixels.length; i++) {
      const v = pixels[i] as number;
      levels[i] = Number.isNaN(v) ? -1 : clampLevel(127.5 + v * gain);
    }
    return levels;
  }
  const low = median - SKY_SIGMAS_BELOW * sigma;
  const range = Math.max(high, median + MIN_SPAN_SIGMAS * sigma) - low || 1;
  const norm = 255 / Math.asinh(ASINH_BETA);
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i] as number;
    if (Number.isNaN(v)) {
      levels[i] = -1;
      continue;
    }
    const t = Math.min(1, Math.max(0, (v - low) / range));
    levels[i] = clampLevel(Math.asinh(ASINH_BETA * t) * norm);
  }
  return levels;
}

/** PNG bytes (8-bit RGB) of a FITS cutout. */
export function cutoutPng(fits: Uint8Array, kind: StretchKind, options: CutoutPngOptions = {}): Buffer {
  const image = readCutoutImage(fits);
  const levels = stretchLevels(image, kind);
  const scale = options.scale ?? defaultScale(image);
  if (!Number.isInteger(scale) || scale < 1)
    throw new CutoutImageError(`scale ${scale} is not a positive integer`);
  const png = new PNG({ width: image.width * scale, height: image.height * scale });
  const out = png.data;
  const rowBytes = png.width * 4;
  for (let y = 0; y < image.height; y++) {
    const top = (image.height - 1 - y) * scale;
    for (let x = 0; x < image.width; x++) {
      const level = levels[y * image.width + x] as number;
      const r = level < 0 ? NAN_RGB[0] : level;
      const g = level < 0 ? NAN_RGB[1] : level;
      const b = level < 0 ? NAN_RGB[2] : level;
      for (let dy = 0; dy < scale; dy++) {
        let o = (top + dy) * rowBytes + x * scale * 4;
        for (let dx = 0; dx < scale; dx++, o += 4) {
          out[o] = r;
          out[o + 1] = g;
          out[o + 2] = b;
          out[o + 3] = 255;
        }
      }
    }
  }
  return PNG.sync.write(png, { colorType: 2 });
}

function defaultScale(image: CutoutImage): number {
  return Math.min(8, Math.max(1, Math.ceil(TARGET_SIDE / Math.max(image.width, image.height, 1))));
}

function finiteSample(pixels: ArrayLike<number>): Float64Array {
  const stride = Math.max(1, Math.ceil(pixels.length / MAX_SAMPLE));
  const sample = new Float64Array(Math.ceil(pixels.length / stride));
  let n = 0;
  for (let i = 0; i < pixels.length; i += stride) {
    const v = pixels[i] as number;
    if (Number.isFinite(v)) sample[n++] = v;
  }
  return sample.subarray(0, n).sort();
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] as number;
}

function clampLevel(value: number): number {
  return value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
}
