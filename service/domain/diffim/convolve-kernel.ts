// Convolving an image and its variance with a spatially varying kernel. The detector is cut into
// cells; in each, the kernel at the cell centre is split into a few separable terms (power-iteration
// SVD, enough terms for 1e-5 of its energy), so a cell costs 2·(2h+1) multiply-adds per pixel and term
// instead of (2h+1)², run as 1-D row and column passes in WebAssembly SIMD (image/line-filter) over
// one stripe of cells at a time. The variance is convolved with K², whose single leading term is
// rescaled to K²'s exact sum so the propagated variance keeps its normalisation, and trimmed to its
// non-negligible taps. Pixels within h of the edge (or up to 3 more at the far edges, see below), or
// of NO_DATA/BAD input, become NO_DATA: their sums would be incomplete.

import { LineFilter } from '../image/line-filter';
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
  // The SIMD passes step four pixels at a time: cells are multiples of four, and so is the convolved
  // area (the ≤ 3 columns and rows it leaves join the NO_DATA border).
  const cell = 4 * Math.max(1, Math.round(options.cellSize / 4));
  const xEnd = h + 4 * Math.floor(Math.max(0, width - 2 * h) / 4);
  const yEnd = h + 4 * Math.floor(Math.max(0, height - 2 * h) / 4);
  const stripes = new CellStripes(width, cell, h);
  let previousTerms: SeparableTerm[] = [];
  for (let y0 = h; y0 < yEnd; y0 += cell) {
    const y1 = Math.min(y0 + cell, yEnd);
    stripes.load(input, y0, y1);
    for (let x0 = h; x0 < xEnd; x0 += cell) {
      const x1 = Math.min(x0 + cell, xEnd);
      field.kernelAt((x0 + x1 - 1) / 2, (y0 + y1 - 1) / 2, kernel);
      let sumSquared = 0;
      for (let p = 0; p < kernel.length; p++) {
        squared[p] = (kernel[p] as number) ** 2;
        sumSquared += squared[p] as number;
      }
      const terms = separableTerms(kernel, size, options.tolerance, options.maxTerms, previousTerms);
      previousTerms = terms;
      terms.forEach((term, t) => {
        stripes.convolve('image', x0, x1, h, term, t > 0);
      });
      const varianceTerm = normalisedTerm(separableTerms(squared, size, 0, 1)[0], sumSquared);
      if (!varianceTerm) continue;
      // K² is narrower than K: its negligible outer taps are dropped (the sum is kept exact above).
      const trimmed = trimTerm(varianceTerm, VARIANCE_TAP_FLOOR);
      stripes.convolve('variance', x0, x1, trimmed.half, trimmed.term, false);
    }
    stripes.store(image, variance, y0);
  }
  return { width, height, image, variance, mask: convolvedMask(input.mask, width, height, h, xEnd, yEnd) };
}

/** Outer taps of the variance kernel below this fraction of its largest tap are left out. */
const VARIANCE_TAP_FLOOR = 1e-7;

/**
 * One stripe of cells in WebAssembly memory: the input rows [y0 − h, y1 + h) of image and variance,
 * the row-pass scratch of one cell, and the output rows [y0, y1). Stripes are loaded and stored whole
 * (rows are contiguous), cells are convolved inside them.
 */
class CellStripes {
  private readonly filter: LineFilter;
  private readonly input: { readonly image: number; readonly variance: number };
  private readonly output: { readonly image: number; readonly variance: number };
  private readonly scratch: number;
  private y0 = 0;
  private rows = 0;

  constructor(
    private readonly width: number,
    private readonly cell: number,
    private readonly h: number,
  ) {
    const inputFloats = (cell + 2 * h) * width;
    const outputFloats = cell * width;
    const start = LineFilter.dataStart;
    this.input = { image: start, variance: start + inputFloats };
    this.output = { image: start + 2 * inputFloats, variance: start + 2 * inputFloats + outputFloats };
    this.scratch = start + 2 * inputFloats + 2 * outputFloats;
    this.filter = new LineFilter(2 * inputFloats + 2 * outputFloats + (cell + 2 * h) * cell);
  }

  load(source: MaskedImage, y0: number, y1: number): void {
    const { width, h } = this;
    const from = (y0 - h) * width;
    const to = (y1 + h) * width;
    this.filter.plane.set(source.image.subarray(from, to), this.input.image);
    this.filter.plane.set(source.variance.subarray(from, to), this.input.variance);
    // Cells without a kernel write nothing: their output is zero, as the planes start.
    this.filter.plane.fill(0, this.output.image, this.output.image + 2 * this.cell * width);
    this.y0 = y0;
    this.rows = y1 - y0;
  }

  /**
   * Output columns [x0, x1) of the stripe (+)= the plane convolved with column ⊗ row (half-width
   * `half` ≤ h): the row pass into the scratch, then the column pass out of it.
   */
  convolve(
    plane: 'image' | 'variance',
    x0: number,
    x1: number,
    half: number,
    term: SeparableTerm,
    accumulate: boolean,
  ): void {
    const { width, h, rows, scratch } = this;
    const cellWidth = x1 - x0;
    this.filter.filter(reversed(term.row), {
      src: this.input[plane] + (h - half) * width + x0 - half,
      srcLineStride: width,
      tapStride: 1,
      dst: scratch,
      dstLineStride: cellWidth,
      lines: rows + 2 * half,
      count: cellWidth,
      accumulate: false,
    });
    this.filter.filter(reversed(term.column), {
      src: scratch,
      srcLineStride: cellWidth,
      tapStride: cellWidth,
      dst: this.output[plane] + x0,
      dstLineStride: width,
      lines: rows,
      count: cellWidth,
      accumulate,
    });
  }

  store(image: Float32Array, variance: Float32Array, y0: number): void {
    if (y0 !== this.y0) throw new RangeError(`stripe at row ${this.y0} stored as row ${y0}`);
    const n = this.rows * this.width;
    const at = y0 * this.width;
    image.set(this.filter.plane.subarray(this.output.image, this.output.image + n), at);
    variance.set(this.filter.plane.subarray(this.output.variance, this.output.variance + n), at);
  }
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
