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
  cellSize: 256,
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
  const scratch = new Float64Array((cell + 2 * h) * cell);
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
  scratch: Float64Array,
): void {
  const { row, column } = term;
  const cellWidth = x1 - x0;
  const size = 2 * h + 1;
  // Row pass over the cell's rows and h rows either side; the filter is reversed into `taps` order.
  for (let r = 0; r < y1 - y0 + 2 * h; r++) {
    const offset = (y0 - h + r) * width;
    const base = r * cellWidth;
    for (let x = x0; x < x1; x++) {
      let s = 0;
      const start = offset + x + h;
      for (let k = 0; k < size; k++) s += (row[k] as number) * (input[start - k] as number);
      scratch[base + x - x0] = s;
    }
  }
  for (let y = y0; y < y1; y++) {
    const o = y * width;
    const top = (y - y0 + 2 * h) * cellWidth;
    for (let x = 0; x < cellWidth; x++) {
      let s = 0;
      for (let k = 0; k < size; k++)
        s += (column[k] as number) * (scratch[top - k * cellWidth + x] as number);
      out[o + x0 + x] = (out[o + x0 + x] as number) + s;
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
