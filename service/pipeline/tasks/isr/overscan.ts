// Overscan: the bias level of each amp, measured where no light falls. The serial overscan (extra
// pixels read at the end of every row) gives one level per row — as a median, a clipped mean, or a
// polynomial in the row number fitted to the clipped means; the parallel overscan (extra rows read
// after the image) then gives one residual level per column. Levels are in raw ADU.

import type { AmpGeometry } from '../../../domain/camera-geometry/detector-geometry';
import type { RawImage } from '../../../domain/camera-geometry/raw-detector';
import { clippedMeanInPlace, medianInPlace } from '../statistics/order-statistics';

export type SerialOverscanFit = 'median-per-row' | 'mean-per-row' | 'polynomial';
export type ParallelOverscanFit = 'none' | 'median-per-column';

export interface OverscanConfig {
  readonly serialFit: SerialOverscanFit;
  /** Degree of the polynomial in row number, for `serialFit: 'polynomial'`. */
  readonly polynomialOrder: number;
  readonly parallelFit: ParallelOverscanFit;
  /** Serial overscan columns next to the data left out (charge deferred from the last data pixel). */
  readonly leadingColumnsToSkip: number;
  /** Serial overscan columns at the far end left out. */
  readonly trailingColumnsToSkip: number;
  /** Clipping for the per-row means, in units of the overscan noise. */
  readonly clipSigma: number;
}

export const DEFAULT_OVERSCAN_CONFIG: OverscanConfig = {
  serialFit: 'median-per-row',
  polynomialOrder: 1,
  parallelFit: 'none',
  leadingColumnsToSkip: 2,
  trailingColumnsToSkip: 0,
  clipSigma: 3,
};

export interface OverscanFit {
  /** Level to subtract from each raw row of the amp (layout-relative rows, ADU). */
  readonly rowLevels: Float64Array;
  /** Residual level to subtract from each data column after the rows (ADU); zeros without a parallel fit. */
  readonly columnLevels: Float64Array;
  /** Mean of the row levels over the data rows: the amp's bias, ADU. */
  readonly meanLevel: number;
  /** Robust σ of the serial overscan about its row levels: the read noise, ADU. */
  readonly noise: number;
}

const NOISE_ROW_STEP = 4;

export class OverscanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OverscanError';
  }
}

/** Fits the overscan of one amp of a raw image. */
export function fitOverscan(
  image: RawImage,
  amp: AmpGeometry,
  config: OverscanConfig = DEFAULT_OVERSCAN_CONFIG,
): OverscanFit {
  const { layout } = amp;
  const { x0: first, count } = usedOverscanColumns(amp, config);
  if (count < 1) {
    throw new OverscanError(
      `amp ${amp.name} has ${layout.serialOverscan.width} serial overscan columns and ${config.leadingColumnsToSkip}+${config.trailingColumnsToSkip} are skipped: skip fewer`,
    );
  }
  const { pixels, width } = image;
  const scratch = new Float64Array(Math.max(count, layout.parallelOverscan.height));
  const deviations = new Float64Array(scratch.length);
  const rowLevels = new Float64Array(layout.height);
  for (let r = 0; r < layout.height; r++) {
    loadRow(pixels, (amp.rawY0 + r) * width + amp.rawX0 + first, count, scratch);
    rowLevels[r] = medianInPlace(scratch, count);
  }
  const noise = overscanNoise(image, amp, first, count, rowLevels);
  if (config.serialFit !== 'median-per-row') {
    for (let r = 0; r < layout.height; r++) {
      loadRow(pixels, (amp.rawY0 + r) * width + amp.rawX0 + first, count, scratch);
      rowLevels[r] = clippedMeanInPlace(scratch, count, config.clipSigma, 2, deviations).mean;
    }
    if (config.serialFit === 'polynomial') fitPolynomialInPlace(rowLevels, config.polynomialOrder);
  }
  const columnLevels =
    config.parallelFit === 'median-per-column'
      ? parallelLevels(image, amp, rowLevels, scratch)
      : new Float64Array(layout.data.width);
  let sum = 0;
  for (let r = layout.data.y0; r < layout.data.y0 + layout.data.height; r++) sum += rowLevels[r] as number;
  return { rowLevels, columnLevels, meanLevel: sum / layout.data.height, noise };
}

/** The serial overscan columns used, after skipping the leading ones (next to the data) and trailing ones. */
export function usedOverscanColumns(amp: AmpGeometry, config: OverscanConfig): { x0: number; count: number } {
  const { serialOverscan, data } = amp.layout;
  const count = serialOverscan.width - config.leadingColumnsToSkip - config.trailingColumnsToSkip;
  // Overscan to the right of the data reads after it: its leading columns are its left ones.
  const afterData = serialOverscan.x0 >= data.x0 + data.width;
  const x0 = serialOverscan.x0 + (afterData ? config.leadingColumnsToSkip : config.trailingColumnsToSkip);
  return { x0, count };
}

function loadRow(pixels: RawImage['pixels'], start: number, count: number, into: Float64Array): void {
  for (let i = 0; i < count; i++) into[i] = pixels[start + i] as number;
}

/**
 * RMS of the overscan about its row medians, clipped at 5σ of a MAD first guess (the MAD alone is
 * quantized on integer ADU; the clipped RMS is not), from every NOISE_ROW_STEP-th data row: a few
 * hundred rows pin the noise to ~1 %. Residuals about a median of n values are narrower than the
 * noise by only ~0.2/n in σ, which is left uncorrected.
 */
function overscanNoise(
  image: RawImage,
  amp: AmpGeometry,
  first: number,
  count: number,
  rowLevels: Float64Array,
): number {
  const { data } = amp.layout;
  const step = data.height >= 8 * NOISE_ROW_STEP ? NOISE_ROW_STEP : 1;
  const residuals = new Float64Array(count * Math.ceil(data.height / step));
  const absolute = new Float64Array(residuals.length);
  let n = 0;
  for (let r = data.y0; r < data.y0 + data.height; r += step) {
    const start = (amp.rawY0 + r) * image.width + amp.rawX0 + first;
    const level = rowLevels[r] as number;
    for (let i = 0; i < count; i++) {
      const v = (image.pixels[start + i] as number) - level;
      residuals[n] = v;
      absolute[n++] = v < 0 ? -v : v;
    }
  }
  const limit = 5 * 1.4826 * Math.max(medianInPlace(absolute, n), 0.5);
  let sumSq = 0;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const v = residuals[i] as number;
    if (v <= limit && v >= -limit) {
      sumSq += v * v;
      kept++;
    }
  }
  return Math.sqrt(sumSq / Math.max(1, kept));
}

function parallelLevels(
  image: RawImage,
  amp: AmpGeometry,
  rowLevels: Float64Array,
  scratch: Float64Array,
): Float64Array {
  const { parallelOverscan: p, data } = amp.layout;
  const levels = new Float64Array(data.width);
  if (p.height === 0) return levels;
  for (let c = 0; c < data.width; c++) {
    for (let k = 0; k < p.height; k++) {
      const r = p.y0 + k;
      scratch[k] =
        (image.pixels[(amp.rawY0 + r) * image.width + amp.rawX0 + data.x0 + c] as number) -
        (rowLevels[r] as number);
    }
    levels[c] = medianInPlace(scratch, p.height);
  }
  return levels;
}

/**
 * Replaces `values` by its least-squares polynomial of degree `order` in t ∈ [-1, 1] (Legendre basis,
 * so the normal equations stay well conditioned for the orders used here).
 */
export function fitPolynomialInPlace(values: Float64Array, order: number): void {
  const n = values.length;
  const terms = order + 1;
  const basis = new Float64Array(terms);
  const normal = new Float64Array(terms * terms);
  const rhs = new Float64Array(terms);
  for (let i = 0; i < n; i++) {
    legendre(n === 1 ? 0 : (2 * i) / (n - 1) - 1, basis);
    const v = values[i] as number;
    for (let a = 0; a < terms; a++) {
      rhs[a] = (rhs[a] as number) + (basis[a] as number) * v;
      for (let b = 0; b < terms; b++)
        normal[a * terms + b] =
          (normal[a * terms + b] as number) + (basis[a] as number) * (basis[b] as number);
    }
  }
  const coefficients = solveSymmetric(normal, rhs, terms);
  for (let i = 0; i < n; i++) {
    legendre(n === 1 ? 0 : (2 * i) / (n - 1) - 1, basis);
    let v = 0;
    for (let a = 0; a < terms; a++) v += (coefficients[a] as number) * (basis[a] as number);
    values[i] = v;
  }
}

function legendre(t: number, out: Float64Array): void {
  out[0] = 1;
  if (out.length > 1) out[1] = t;
  for (let k = 2; k < out.length; k++) {
    out[k] = ((2 * k - 1) * t * (out[k - 1] as number) - (k - 1) * (out[k - 2] as number)) / k;
  }
}

/** Gaussian elimination with partial pivoting on a small dense system. */
function solveSymmetric(matrix: Float64Array, rhs: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(matrix);
  const b = Float64Array.from(rhs);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++)
      if (Math.abs(a[row * n + col] as number) > Math.abs(a[pivot * n + col] as number)) pivot = row;
    if (pivot !== col) {
      for (let k = 0; k < n; k++) {
        const t = a[col * n + k] as number;
        a[col * n + k] = a[pivot * n + k] as number;
        a[pivot * n + k] = t;
      }
      const t = b[col] as number;
      b[col] = b[pivot] as number;
      b[pivot] = t;
    }
    const diagonal = a[col * n + col] as number;
    if (diagonal === 0) throw new OverscanError('overscan polynomial fit is singular: lower polynomialOrder');
    for (let row = col + 1; row < n; row++) {
      const factor = (a[row * n + col] as number) / diagonal;
      for (let k = col; k < n; k++)
        a[row * n + k] = (a[row * n + k] as number) - factor * (a[col * n + k] as number);
      b[row] = (b[row] as number) - factor * (b[col] as number);
    }
  }
  const x = new Float64Array(n);
  for (let row = n - 1; row >= 0; row--) {
    let sum = b[row] as number;
    for (let k = row + 1; k < n; k++) sum -= (a[row * n + k] as number) * (x[k] as number);
    x[row] = sum / (a[row * n + row] as number);
  }
  return x;
}
