// The matched filter: convolution with a normalized circular Gaussian as two 1-D passes. Pixels closer
// than the kernel's half-width to an edge cannot see a whole kernel; they are left at zero and the
// caller treats that border as EDGE.

import { LineFilter } from '../image/line-filter';

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

/** Output rows per stripe: the rows a stripe needs are copied into wasm memory together. */
const STRIPE_ROWS = 64;

/**
 * out = image ⊗ k(x)k(y) for pixels at least `half` from every edge; the border is zero. Pixels must
 * be finite (NaN would spread over the kernel). The two 1-D passes run in WebAssembly SIMD
 * (image/line-filter) over stripes of rows whose lines are padded to a multiple of four pixels, so
 * the passes need no tail; the padding is never copied out.
 */
export function convolveSeparable(
  image: Float32Array,
  width: number,
  height: number,
  kernel: Float64Array,
  out: Float32Array = new Float32Array(width * height),
): Float32Array {
  const half = (kernel.length - 1) / 2;
  if (width <= 2 * half || height <= 2 * half) return out.fill(0);
  const count = 4 * Math.ceil((width - 2 * half) / 4);
  const stride = count + 2 * half;
  const rows = Math.min(STRIPE_ROWS, height - 2 * half);
  const input = LineFilter.dataStart;
  const scratch = input + (rows + 2 * half) * stride;
  const output = scratch + (rows + 2 * half) * stride;
  const filter = new LineFilter(output + rows * stride - input);
  const plane = filter.plane;
  zeroBorder(out, width, height, half);
  for (let y0 = half; y0 < height - half; y0 += rows) {
    const y1 = Math.min(y0 + rows, height - half);
    for (let y = y0 - half; y < y1 + half; y++)
      plane.set(image.subarray(y * width, (y + 1) * width), input + (y - y0 + half) * stride);
    filter.filter(kernel, {
      src: input,
      srcLineStride: stride,
      tapStride: 1,
      dst: scratch,
      dstLineStride: stride,
      lines: y1 - y0 + 2 * half,
      count,
      accumulate: false,
    });
    filter.filter(kernel, {
      src: scratch,
      srcLineStride: stride,
      tapStride: stride,
      dst: output,
      dstLineStride: stride,
      lines: y1 - y0,
      count,
      accumulate: false,
    });
    for (let y = y0; y < y1; y++) {
      const from = output + (y - y0) * stride;
      out.set(plane.subarray(from, from + width - 2 * half), y * width + half);
    }
  }
  return out;
}

/** Zero in the rows and columns within `half` of an edge (the caller's `out` may hold old values). */
function zeroBorder(out: Float32Array, width: number, height: number, half: number): void {
  out.fill(0, 0, half * width);
  out.fill(0, (height - half) * width);
  for (let y = half; y < height - half; y++) {
    out.fill(0, y * width, y * width + half);
    out.fill(0, (y + 1) * width - half, (y + 1) * width);
  }
}
