// Convolving an image and its variance with a spatially varying kernel. The detector is cut into
// cells; in each, the kernel at the cell centre is split into a few separable terms (power-iteration
// SVD, enough terms for 1e-5 of its energy), so a cell costs 2·(2h+1) multiply-adds per pixel and term
// instead of (2h+1)², run as 1-D row and column passes over Float32Array scratch. The variance is
// convolved with K², whose single leading term is rescaled to K²'s exact sum so the propagated
// variance keeps its normalisation, and trimmed to its non-negligible taps. Pixels within h of the edge
// (or up to 3 more at the far edges, see below), or of NO_DATA/BAD input, become NO_DATA: their sums
// would be incomplete.

import { MaskBit } from '../image/mask-bits';
import type { MaskedImage } from '../image/masked-image';
import { slidingDot4 } from '../image/sliding-dot';
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
  // The passes step four pixels at a time: cells are multiples of four, and so is the convolved area
  // (the ≤ 3 columns and rows it leaves join the NO_DATA border). No odd-sized tail means no cold code
  // path in the hot loops, which V8 would otherwise deoptimize on again and again.
  const cell = 4 * Math.max(1, Math.round(options.cellSize / 4));
  const xEnd = h + 4 * Math.floor(Math.max(0, width - 2 * h) / 4);
  const yEnd = h + 4 * Math.floor(Math.max(0, height - 2 * h) / 4);
  const scratch = new Float32Array((cell + 2 * h) * cell);
  let previousTerms: SeparableTerm[] = [];
  for (let y0 = h; y0 < yEnd; y0 += cell) {
    const y1 = Math.min(y0 + cell, yEnd);
    for (let x0 = h; x0 < xEnd; x0 += cell) {
      const x1 = Math.min(x0 + cell, xEnd);
      const box: CellBox = { width, x0, x1, y0, y1 };
      field.kernelAt((x0 + x1 - 1) / 2, (y0 + y1 - 1) / 2, kernel);
      let sumSquared = 0;
      for (let p = 0; p < kernel.length; p++) {
        squared[p] = (kernel[p] as number) ** 2;
        sumSquared += squared[p] as number;
      }
      const terms = separableTerms(kernel, size, options.tolerance, options.maxTerms, previousTerms);
      previousTerms = terms;
      terms.forEach((term, t) => {
        rowPass(input.image, scratch, box, h, term.row);
        columnPass(scratch, image, box, term.column, t > 0);
      });
      const varianceTerm = normalisedTerm(separableTerms(squared, size, 0, 1)[0], sumSquared);
      if (!varianceTerm) continue;
      // K² is narrower than K: its negligible outer taps are dropped (the sum is kept exact above).
      const trimmed = trimTerm(varianceTerm, VARIANCE_TAP_FLOOR);
      rowPass(input.variance, scratch, box, trimmed.half, trimmed.term.row, h - trimmed.half);
      columnPass(scratch, variance, box, trimmed.term.column, false, h - trimmed.half);
    }
  }
  return { width, height, image, variance, mask: convolvedMask(input.mask, width, height, h, xEnd, yEnd) };
}

/** Outer taps of the variance kernel below this fraction of its largest tap are left out. */
const VARIANCE_TAP_FLOOR = 1e-7;

interface CellBox {
  readonly width: number;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

function normalisedTerm(term: SeparableTerm | undefined, sum: number): SeparableTerm | undefined {
  if (!term) return undefined;
  let s = 0;
  for (let i = 0; i < term.column.length; i++)
    for (let j = 0; j < term.row.length; j++) s += (term.column[i] as number) * (term.row[j] as number);
  const f = s !== 0 ? sum / s : 0;
  return { column: term.column.map((c) => c * f), row: term.row };
}

/** The term cut to the smallest symmetric half-width whose dropped taps all fall below `floor`·max. */
function trimTerm(term: SeparableTerm, floor: number): { term: SeparableTerm; half: number } {
  const h = (term.row.length - 1) / 2;
  const negligible = (filter: Float64Array, k: number) => {
    let peak = 0;
    for (let i = 0; i < filter.length; i++) peak = Math.max(peak, Math.abs(filter[i] as number));
    return (
      Math.abs(filter[h - k] as number) <= floor * peak && Math.abs(filter[h + k] as number) <= floor * peak
    );
  };
  let half = h;
  while (half > 0 && negligible(term.row, half) && negligible(term.column, half)) half--;
  return {
    term: {
      row: term.row.subarray(h - half, h + half + 1),
      column: term.column.subarray(h - half, h + half + 1),
    },
    half,
  };
}

/**
 * scratch[(y − y0 + halo − h)·cellWidth + x − x0] = Σ_k row[k]·input[y, x + h − k] for the cell's rows
 * widened by h (halo is the widest kernel's half-width, which sets the scratch row layout).
 */
function rowPass(
  input: Float32Array,
  scratch: Float32Array,
  box: CellBox,
  h: number,
  row: Float64Array,
  inset = 0,
): void {
  const { width, x0, x1, y0, y1 } = box;
  const cellWidth = x1 - x0;
  const taps = reversed(row);
  const halo = h + inset;
  for (let y = y0 - h; y < y1 + h; y++) {
    const o = (y - y0 + halo) * cellWidth;
    const rowStart = y * width + x0 - h;
    for (let x = 0; x < cellWidth; x += 4)
      slidingDot4(input, rowStart + x, 1, taps, scratch, o + x, 1, false);
  }
}

/** out[y, x] (+)= Σ_k column[k]·scratch row (y − y0 + halo + h − k), four output rows per step. */
function columnPass(
  scratch: Float32Array,
  out: Float32Array,
  box: CellBox,
  column: Float64Array,
  accumulate: boolean,
  inset = 0,
): void {
  const { width, x0, x1, y0, y1 } = box;
  const cellWidth = x1 - x0;
  const taps = reversed(column);
  // Output row y reads scratch rows (y − y0 + inset) … (y − y0 + inset + 2h), tap 2h first.
  for (let y = y0; y < y1; y += 4) {
    const o = y * width + x0;
    const first = (y - y0 + inset) * cellWidth;
    for (let x = 0; x < cellWidth; x++)
      slidingDot4(scratch, first + x, cellWidth, taps, out, o + x, width, accumulate);
  }
}

function reversed(filter: Float64Array): Float64Array {
  return Float64Array.from(filter).reverse();
}

/**
 * The input's bits at each pixel, plus NO_DATA outside the convolved area [h, xEnd)×[h, yEnd) and
 * within h of NO_DATA/BAD input.
 */
function convolvedMask(
  mask: Uint16Array,
  width: number,
  height: number,
  h: number,
  xEnd: number,
  yEnd: number,
): Uint16Array {
  const out = Uint16Array.from(mask);
  // Rows dilated along x (1 within h of a spreading pixel), then a running count of dilated rows
  // down each column. Rows without any spreading pixel (almost all of them) are skipped outright.
  const dilated = new Uint8Array(width * height);
  const rowHas = new Uint8Array(height);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    let filledTo = 0;
    for (let x = 0; x < width; x++) {
      if (((mask[o + x] as number) & SPREADING) === 0) continue;
      rowHas[y] = 1;
      const to = Math.min(width, x + h + 1);
      dilated.fill(1, o + Math.max(filledTo, x - h), o + to);
      filledTo = to;
    }
  }
  const columns = new Int32Array(width);
  let rowsInWindow = 0;
  for (let y = -h; y < height; y++) {
    const enter = y + h;
    if (enter < height && rowHas[enter] === 1) {
      rowsInWindow++;
      const o = enter * width;
      for (let x = 0; x < width; x++) columns[x] = (columns[x] as number) + (dilated[o + x] as number);
    }
    const leave = y - h - 1;
    if (leave >= 0 && rowHas[leave] === 1) {
      rowsInWindow--;
      const o = leave * width;
      for (let x = 0; x < width; x++) columns[x] = (columns[x] as number) - (dilated[o + x] as number);
    }
    if (y < 0) continue;
    const o = y * width;
    if (y < h || y >= yEnd) {
      for (let x = 0; x < width; x++) out[o + x] = (out[o + x] as number) | MaskBit.NO_DATA;
      continue;
    }
    for (let x = 0; x < h; x++) out[o + x] = (out[o + x] as number) | MaskBit.NO_DATA;
    for (let x = xEnd; x < width; x++) out[o + x] = (out[o + x] as number) | MaskBit.NO_DATA;
    if (rowsInWindow === 0) continue;
    for (let x = h; x < xEnd; x++) {
      if ((columns[x] as number) > 0) out[o + x] = (out[o + x] as number) | MaskBit.NO_DATA;
    }
  }
  return out;
}
