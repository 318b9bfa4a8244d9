// The matched filter: convolution with a normalized circular Gaussian as two 1-D passes. Pixels closer
// than the kernel's half-width to an edge cannot see a whole kernel; they are left at zero and the
// caller treats that border as EDGE.

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
 * finite (NaN would spread over the kernel). The kernel is symmetric, so mirrored taps share a
 * multiply; for the usual PSF sizes the taps are unrolled, which V8 runs about twice as fast.
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
    columnPassUnrolled(scratch, out, width, height, half, taps);
  } else {
    const taps = Float64Array.from(kernel.subarray(half));
    rowPass(image, scratch, width, height, half, taps);
    columnPass(scratch, out, width, height, half, taps);
  }
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

function columnPass(
  scratch: Float32Array,
  out: Float32Array,
  width: number,
  height: number,
  half: number,
  taps: Float64Array,
): void {
  const center = taps[0] as number;
  for (let y = half; y < height - half; y++) {
    const row = y * width;
    for (let i = row + half; i < row + width - half; i++) {
      let sum = center * (scratch[i] as number);
      for (let k = 1; k <= half; k++) {
        const offset = k * width;
        sum += (taps[k] as number) * ((scratch[i - offset] as number) + (scratch[i + offset] as number));
      }
      out[i] = sum;
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

/** Column pass with eight tap pairs written out; rows closer than eight to an edge use the loop. */
function columnPassUnrolled(
  s: Float32Array,
  out: Float32Array,
  width: number,
  height: number,
  half: number,
  taps: Float64Array,
): void {
  const [c, t1, t2, t3, t4, t5, t6, t7, t8] = taps as unknown as number[];
  const w = width;
  const firstFast = UNROLLED_HALF;
  const lastFast = height - UNROLLED_HALF;
  for (let y = half; y < height - half; y++) {
    const row = y * width;
    if (y < firstFast || y >= lastFast) {
      columnPassRow(s, out, width, half, taps, row);
      continue;
    }
    for (let i = row + half; i < row + width - half; i++) {
      out[i] =
        (c as number) * (s[i] as number) +
        (t1 as number) * ((s[i - w] as number) + (s[i + w] as number)) +
        (t2 as number) * ((s[i - 2 * w] as number) + (s[i + 2 * w] as number)) +
        (t3 as number) * ((s[i - 3 * w] as number) + (s[i + 3 * w] as number)) +
        (t4 as number) * ((s[i - 4 * w] as number) + (s[i + 4 * w] as number)) +
        (t5 as number) * ((s[i - 5 * w] as number) + (s[i + 5 * w] as number)) +
        (t6 as number) * ((s[i - 6 * w] as number) + (s[i + 6 * w] as number)) +
        (t7 as number) * ((s[i - 7 * w] as number) + (s[i + 7 * w] as number)) +
        (t8 as number) * ((s[i - 8 * w] as number) + (s[i + 8 * w] as number));
    }
  }
}

function columnPassRow(
  s: Float32Array,
  out: Float32Array,
  width: number,
  half: number,
  taps: Float64Array,
  row: number,
): void {
  for (let i = row + half; i < row + width - half; i++) {
    let sum = (taps[0] as number) * (s[i] as number);
    for (let k = 1; k <= half; k++) {
      sum += (taps[k] as number) * ((s[i - k * width] as number) + (s[i + k * width] as number));
    }
    out[i] = sum;
  }
}
