// The matched filter: convolution with a normalized circular Gaussian as two 1-D passes. Pixels closer
// than the kernel's half-width to an edge cannot see a whole kernel; they are left at zero and the
// caller treats that border as EDGE.

import { slidingDot4 } from '../image/sliding-dot';

/** A unit-sum Gaussian sampled at integer offsets −h..h, h = ⌈truncation·σ⌉. */
export function gaussianKernel(sigma: number, truncationSigmas = 3.5): Float64Array {
  if (!(sigma > 0)) throw new RangeError(`kernel sigma ${sigma} must be positive`);
  const half = Math.max(1, Math.ceil(truncationSigmas * sigma));
  const kernel = new Float64Array(2 * half + 1);
  let sum = 0;
  for (let i = -half; i <= half; i++) {
    const value = Math.exp((-0.5 * i * i) / (sigma * sigma));
    kernel[i + half] = value;
    sum += value;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] = (kernel[i] as number) / sum;
  return kernel;
}

/** Σ k² of the 2-D kernel k(x)k(y): the factor by which white-noise variance shrinks in the output. */
export function separableNoiseFactor(kernel: Float64Array): number {
  let s = 0;
  for (let i = 0; i < kernel.length; i++) s += (kernel[i] as number) ** 2;
  return s * s;
}

/** Kernels up to this half-width take the unrolled path (zero-padded taps); wider ones a generic loop. */
const UNROLLED_HALF = 8;

/**
 * out = image ⊗ k(x)k(y) for pixels at least `half` from every edge; the border is zero. `scratch`
 * (same length as the image) holds the row pass so a caller can reuse it across calls. Pixels must be
 * finite (NaN would spread over the kernel). In the row pass mirrored taps share a multiply and, for
 * the usual PSF sizes, are unrolled (about twice as fast in V8); the column pass slides down columns.
 */
export function convolveSeparable(
  image: Float32Array,
  width: number,
  height: number,
  kernel: Float64Array,
  out: Float32Array = new Float32Array(width * height),
  scratch: Float32Array = new Float32Array(width * height),
): Float32Array {
  const half = (kernel.length - 1) / 2;
  out.fill(0);
  if (width <= 2 * half || height <= 2 * half) return out;
  if (half <= UNROLLED_HALF && width > 2 * UNROLLED_HALF && height > 2 * UNROLLED_HALF) {
    const taps = new Float64Array(UNROLLED_HALF + 1);
    taps.set(kernel.subarray(half));
    scratch.fill(0);
    rowPassUnrolled(image, scratch, width, height, half, taps);
  } else {
    rowPass(image, scratch, width, height, half, Float64Array.from(kernel.subarray(half)));
  }
  columnPass(scratch, out, width, height, kernel);
  return out;
}

function rowPass(
  image: Float32Array,
  scratch: Float32Array,
  width: number,
  height: number,
  half: number,
  taps: Float64Array,
): void {
  const center = taps[0] as number;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let i = row + half; i < row + width - half; i++) {
      let sum = center * (image[i] as number);
      for (let k = 1; k <= half; k++)
        sum += (taps[k] as number) * ((image[i - k] as number) + (image[i + k] as number));
      scratch[i] = sum;
    }
  }
}

/**
 * Row pass with eight tap pairs written out. Taps beyond `half` are zero, so reading past a row's
 * end into the neighbouring row adds nothing; the first and last rows start and stop far enough
 * inside the array that every read is in bounds. Border columns are zeroed afterwards.
 */
function rowPassUnrolled(
  a: Float32Array,
  scratch: Float32Array,
  width: number,
  height: number,
  half: number,
  taps: Float64Array,
): void {
  const [c, t1, t2, t3, t4, t5, t6, t7, t8] = taps as unknown as number[];
  const n = width * height;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const start = Math.max(row + half, UNROLLED_HALF);
    const end = Math.min(row + width - half, n - UNROLLED_HALF);
    for (let i = start; i < end; i++) {
      scratch[i] =
        (c as number) * (a[i] as number) +
        (t1 as number) * ((a[i - 1] as number) + (a[i + 1] as number)) +
        (t2 as number) * ((a[i - 2] as number) + (a[i + 2] as number)) +
        (t3 as number) * ((a[i - 3] as number) + (a[i + 3] as number)) +
        (t4 as number) * ((a[i - 4] as number) + (a[i + 4] as number)) +
        (t5 as number) * ((a[i - 5] as number) + (a[i + 5] as number)) +
        (t6 as number) * ((a[i - 6] as number) + (a[i + 6] as number)) +
        (t7 as number) * ((a[i - 7] as number) + (a[i + 7] as number)) +
        (t8 as number) * ((a[i - 8] as number) + (a[i + 8] as number));
    }
  }
}

/**
 * Column pass for rows at least `half` from the top and bottom (columns within `half` of the sides
 * stay zero), four output rows per step sliding down each column.
 */
function columnPass(
  scratch: Float32Array,
  out: Float32Array,
  width: number,
  height: number,
  kernel: Float64Array,
): void {
  const half = (kernel.length - 1) / 2;
  const end = height - half;
  if (end - half < 4) {
    columnPassNarrow(scratch, out, width, half, end, kernel);
    return;
  }
  // The last step of four is moved back to end at the last row: it recomputes up to three rows with
  // the same values instead of needing a tail loop.
  for (let y = half; y < end; y += 4) {
    const row = Math.min(y, end - 4);
    const first = (row - half) * width;
    for (let x = half; x < width - half; x++)
      slidingDot4(scratch, first + x, width, kernel, out, row * width + x, width, false);
  }
}

/** The column pass for images fewer than four rows taller than the kernel. */
function columnPassNarrow(
  scratch: Float32Array,
  out: Float32Array,
  width: number,
  half: number,
  end: number,
  kernel: Float64Array,
): void {
  for (let y = half; y < end; y++) {
    for (let x = half; x < width - half; x++) {
      let s = 0;
      for (let k = 0; k < kernel.length; k++)
        s += (kernel[k] as number) * (scratch[(y - half + k) * width + x] as number);
      out[y * width + x] = s;
    }
  }
}
