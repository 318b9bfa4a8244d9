// Convolving an image and its variance with a spatially varying kernel. The detector is cut into
// cells; in each, the kernel at the cell centre is split into a few separable terms (power-iteration
// SVD, enough terms for 1e-5 of its energy), so a cell costs 2·(2h+1) multiply-adds per pixel and term
// instead of (2h+1)². The variance is convolved with K², whose single leading term is rescaled to K²'s
// exact sum so the propagated variance keeps its normalisation. Pixels within h of the edge, or of
// NO_DATA/BAD input, become NO_DATA: their sums would be incomplete.

import { MaskBit } from '../image/mask-bits';
import type { MaskedImage } from '../image/masked-image';
import { type SeparableTerm, separableTerms } from './linear-algebra';

export interface KernelField {
  readonly half: number;
  /** Writes the (2h+1)² kernel at pixel (x, y) into `out` (v rows, u columns). */
  kernelAt(x: number, y: number, out: Float64Array): void;
}

export interface ConvolutionOptions {
  /** Cell side, pixels: the kernel is evaluated once per cell. */
  readonly cellSize: number;
  /** Unexplained fraction of the kernel's energy allowed by its separable split. */
  readonly tolerance: number;
  readonly maxTerms: number;
}

export const DEFAULT_CONVOLUTION_OPTIONS: ConvolutionOptions = {
  cellSize: 128,
  tolerance: 1e-5,
  maxTerms: 6,
};

const SPREADING = MaskBit.NO_DATA | MaskBit.BAD;

export function convolveKernelField(
  input: MaskedImage,
  field: KernelField,
  options: ConvolutionOptions = DEFAULT_CONVOLUTION_OPTIONS,
): MaskedImage {
  const { width, height } = input;
  const h = field.half;
  const size = 2 * h + 1;
  const image = new Float32Array(width * height);
  const variance = new Float32Array(width * height);
  const kernel = new Float64Array(size * size);
  const squared = new Float64Array(size * size);
  const cell = options.cellSize;
  const scratch = new Float32Array((cell + 2 * Math.max(h, UNROLLED_HALF)) * cell);
  for (let y0 = h; y0 < height - h; y0 += cell) {
    const y1 = Math.min(y0 + cell, height - h);
    for (let x0 = h; x0 < width - h; x0 += cell) {
      const x1 = Math.min(x0 + cell, width - h);
      field.kernelAt((x0 + x1 - 1) / 2, (y0 + y1 - 1) / 2, kernel);
      let sumSquared = 0;
      for (let p = 0; p < kernel.length; p++) {
        squared[p] = (kernel[p] as number) ** 2;
        sumSquared += squared[p] as number;
      }
      const terms = separableTerms(kernel, size, options.tolerance, options.maxTerms);
      for (const term of terms) convolveCell(input.image, image, width, x0, x1, y0, y1, h, term, scratch);
      const varianceTerm = normalisedTerm(separableTerms(squared, size, 0, 1)[0], sumSquared);
      if (varianceTerm)
        convolveCell(input.variance, variance, width, x0, x1, y0, y1, h, varianceTerm, scratch);
    }
  }
  return { width, height, image, variance, mask: convolvedMask(input.mask, width, height, h) };
}

function normalisedTerm(term: SeparableTerm | undefined, sum: number): SeparableTerm | undefined {
  if (!term) return undefined;
  let s = 0;
  for (let i = 0; i < term.column.length; i++)
    for (let j = 0; j < term.row.length; j++) s += (term.column[i] as number) * (term.row[j] as number);
  const f = s !== 0 ? sum / s : 0;
  return { column: term.column.map((c) => c * f), row: term.row };
}

/** Kernels up to this half-width take the unrolled path, their taps zero-padded to 2·8+1. */
const UNROLLED_HALF = 8;

/** out[x,y] += Σ_v column[v]·Σ_u row[u]·input[x−u, y−v] over the cell. */
function convolveCell(
  input: Float32Array,
  out: Float32Array,
  width: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  h: number,
  term: SeparableTerm,
  scratch: Float32Array,
): void {
  const height = input.length / width;
  const fits =
    h <= UNROLLED_HALF &&
    x0 >= UNROLLED_HALF &&
    y0 >= UNROLLED_HALF &&
    x1 + UNROLLED_HALF <= width &&
    y1 + UNROLLED_HALF <= height;
  if (fits) {
    // V8 runs the written-out 17-tap sums about twice as fast as the loop; the padding taps are 0.
    const row = padded(term.row, h);
    const column = padded(term.column, h);
    rowPassUnrolled(input, scratch, width, x0, x1, y0 - UNROLLED_HALF, y1 + UNROLLED_HALF, row);
    columnPassUnrolled(scratch, out, width, x0, x1, y0, y1, column);
    return;
  }
  rowPass(input, scratch, width, x0, x1, y0 - h, y1 + h, h, term.row);
  columnPass(scratch, out, width, x0, x1, y0, y1, h, term.column);
}

/** Taps −8..8 with the filter's −h..h in the middle and zeros outside. */
function padded(filter: Float64Array, h: number): Float64Array {
  const out = new Float64Array(2 * UNROLLED_HALF + 1);
  out.set(filter, UNROLLED_HALF - h);
  return out;
}

/** scratch[(y − yFrom)·cellWidth + x − x0] = Σ_k row[k]·input[y, x + h − k] for yFrom ≤ y < yTo. */
function rowPass(
  input: Float32Array,
  scratch: Float32Array,
  width: number,
  x0: number,
  x1: number,
  yFrom: number,
  yTo: number,
  h: number,
  row: Float64Array,
): void {
  const cellWidth = x1 - x0;
  const size = 2 * h + 1;
  for (let y = yFrom; y < yTo; y++) {
    const offset = y * width;
    const base = (y - yFrom) * cellWidth - x0;
    for (let x = x0; x < x1; x++) {
      let s = 0;
      const start = offset + x + h;
      for (let k = 0; k < size; k++) s += (row[k] as number) * (input[start - k] as number);
      scratch[base + x] = s;
    }
  }
}

/** out[y, x] += Σ_k column[k]·scratch row (y − y0 + 2h − k). */
function columnPass(
  scratch: Float32Array,
  out: Float32Array,
  width: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  h: number,
  column: Float64Array,
): void {
  const cellWidth = x1 - x0;
  const size = 2 * h + 1;
  for (let y = y0; y < y1; y++) {
    const o = y * width + x0;
    const top = (y - y0 + 2 * h) * cellWidth;
    for (let x = 0; x < cellWidth; x++) {
      let s = 0;
      for (let k = 0; k < size; k++)
        s += (column[k] as number) * (scratch[top - k * cellWidth + x] as number);
      out[o + x] = (out[o + x] as number) + s;
    }
  }
}

function rowPassUnrolled(
  a: Float32Array,
  scratch: Float32Array,
  width: number,
  x0: number,
  x1: number,
  yFrom: number,
  yTo: number,
  t: Float64Array,
): void {
  const [t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14, t15, t16] =
    t as unknown as number[];
  const cellWidth = x1 - x0;
  for (let y = yFrom; y < yTo; y++) {
    const base = (y - yFrom) * cellWidth - x0;
    const offset = y * width;
    for (let x = x0; x < x1; x++) {
      const i = offset + x;
      scratch[base + x] =
        (t0 as number) * (a[i + 8] as number) +
        (t1 as number) * (a[i + 7] as number) +
        (t2 as number) * (a[i + 6] as number) +
        (t3 as number) * (a[i + 5] as number) +
        (t4 as number) * (a[i + 4] as number) +
        (t5 as number) * (a[i + 3] as number) +
        (t6 as number) * (a[i + 2] as number) +
        (t7 as number) * (a[i + 1] as number) +
        (t8 as number) * (a[i] as number) +
        (t9 as number) * (a[i - 1] as number) +
        (t10 as number) * (a[i - 2] as number) +
        (t11 as number) * (a[i - 3] as number) +
        (t12 as number) * (a[i - 4] as number) +
        (t13 as number) * (a[i - 5] as number) +
        (t14 as number) * (a[i - 6] as number) +
        (t15 as number) * (a[i - 7] as number) +
        (t16 as number) * (a[i - 8] as number);
    }
  }
}

function columnPassUnrolled(
  s: Float32Array,
  out: Float32Array,
  width: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  t: Float64Array,
): void {
  const [t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14, t15, t16] =
    t as unknown as number[];
  const w = x1 - x0;
  for (let y = y0; y < y1; y++) {
    const o = y * width + x0;
    // Scratch row of image row y is (y − y0 + 8); tap k reads image row y + 8 − k.
    const c = (y - y0 + 8) * w;
    for (let x = 0; x < w; x++) {
      const i = c + x;
      out[o + x] =
        (out[o + x] as number) +
        (t0 as number) * (s[i + 8 * w] as number) +
        (t1 as number) * (s[i + 7 * w] as number) +
        (t2 as number) * (s[i + 6 * w] as number) +
        (t3 as number) * (s[i + 5 * w] as number) +
        (t4 as number) * (s[i + 4 * w] as number) +
        (t5 as number) * (s[i + 3 * w] as number) +
        (t6 as number) * (s[i + 2 * w] as number) +
        (t7 as number) * (s[i + w] as number) +
        (t8 as number) * (s[i] as number) +
        (t9 as number) * (s[i - w] as number) +
        (t10 as number) * (s[i - 2 * w] as number) +
        (t11 as number) * (s[i - 3 * w] as number) +
        (t12 as number) * (s[i - 4 * w] as number) +
        (t13 as number) * (s[i - 5 * w] as number) +
        (t14 as number) * (s[i - 6 * w] as number) +
        (t15 as number) * (s[i - 7 * w] as number) +
        (t16 as number) * (s[i - 8 * w] as number);
    }
  }
}

/** The input's bits at each pixel, plus NO_DATA near the edge and within h of NO_DATA/BAD input. */
function convolvedMask(mask: Uint16Array, width: number, height: number, h: number): Uint16Array {
  const out = Uint16Array.from(mask);
  const spread = new Uint8Array(width * height);
  // Separable dilation of the spreading pixels by a (2h+1)² box, with running counts.
  const rows = new Int32Array(width * height);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    let count = 0;
    for (let x = -h; x < width; x++) {
      const enter = x + h;
      if (enter < width && ((mask[o + enter] as number) & SPREADING) !== 0) count++;
      const leave = x - h - 1;
      if (leave >= 0 && ((mask[o + leave] as number) & SPREADING) !== 0) count--;
      if (x >= 0) rows[o + x] = count;
    }
  }
  for (let x = 0; x < width; x++) {
    let count = 0;
    for (let y = -h; y < height; y++) {
      const enter = y + h;
      if (enter < height) count += rows[enter * width + x] as number;
      const leave = y - h - 1;
      if (leave >= 0) count -= rows[leave * width + x] as number;
      if (y >= 0 && count > 0) spread[y * width + x] = 1;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (spread[i] === 1 || x < h || y < h || x >= width - h || y >= height - h)
        out[i] = (out[i] as number) | MaskBit.NO_DATA;
    }
  }
  return out;
}
