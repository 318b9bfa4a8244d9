// The PSF-matching kernel fit (Alard & Lupton 1998; Alard 2000): on stamps around bright isolated
// stars, find K and a background b minimising Σ (target − K⊗reference − b)²/V. K = Σ a_k(x,y)·B_k with
// the first-order spatial model a_k = c0 + c1·x̃ + c2·ỹ (x̃, ỹ ∈ [−1, 1] across the detector) for
// every basis but the first, whose coefficient — the kernel sum, i.e. the photometric scaling — is
// kept constant; the background is first order too. Each stamp's normal equations are built for the
// local coefficients, then expanded with the polynomial at the stamp centre (the classic stamp-centre
// approximation), summed and solved. Stamps whose χ²/dof stands out are clipped and the fit redone.

import type { MaskedImage } from '../image/masked-image';
import { slidingDot4 } from '../image/sliding-dot';
import type { KernelBasis } from './kernel-basis';
import type { StampCentres } from './kernel-stamps';
import { solveSymmetric } from './linear-algebra';

export interface KernelFitOptions {
  /** Stamp half-size, pixels. */
  readonly stampHalf: number;
  readonly clipSigma: number;
  readonly clipIterations: number;
  readonly minStamps: number;
}

export class KernelFitError extends Error {
  override readonly name = 'KernelFitError';
}

/** A fitted, spatially varying matching kernel and differential background. */
export interface MatchingKernel {
  readonly basis: KernelBasis;
  /** Global coefficients: [sum, then (c0,c1,c2) per further basis, then background (c0,c1,c2)]. */
  readonly coefficients: Float64Array;
  readonly width: number;
  readonly height: number;
  readonly stampsUsed: number;
  readonly stampsRejected: number;
  /** Median χ²/dof of the kept stamps. */
  readonly chi2PerDof: number;
}

export function fitMatchingKernel(
  target: MaskedImage,
  reference: MaskedImage,
  basis: KernelBasis,
  stamps: StampCentres,
  options: KernelFitOptions,
): MatchingKernel {
  const { width, height } = target;
  if (stamps.x.length < options.minStamps) {
    throw new KernelFitError(
      `${stamps.x.length} clean isolated stars for the PSF-matching kernel, need ${options.minStamps}: ` +
        'lower minStamps or the stamps’ minimum SNR, or check the template covers the detector',
    );
  }
  const locals = [];
  for (let s = 0; s < stamps.x.length; s++) {
    const local = stampSystem(
      target,
      reference,
      basis,
      stamps.x[s] as number,
      stamps.y[s] as number,
      options.stampHalf,
    );
    if (local) locals.push(local);
  }
  let kept = locals;
  let coefficients = solveGlobal(kept, basis.count, width, height);
  let chi2 = kept.map((l) => stampChi2(l, coefficients, basis.count, width, height));
  for (let iteration = 0; iteration < options.clipIterations; iteration++) {
    const limit = clipLimit(chi2, options.clipSigma);
    const next = kept.filter((_, i) => (chi2[i] as number) <= limit);
    if (next.length === kept.length || next.length < options.minStamps) break;
    kept = next;
    coefficients = solveGlobal(kept, basis.count, width, height);
    chi2 = kept.map((l) => stampChi2(l, coefficients, basis.count, width, height));
  }
  return {
    basis,
    coefficients,
    width,
    height,
    stampsUsed: kept.length,
    stampsRejected: stamps.x.length - kept.length,
    chi2PerDof: median(chi2),
  };
}

/** Number of global unknowns for `count` bases. */
export function unknownCount(count: number): number {
  return 1 + 3 * (count - 1) + 3;
}

/** Normalised detector coordinates in [−1, 1]. */
export function spatialTerms(x: number, y: number, width: number, height: number): [number, number, number] {
  return [1, (2 * x) / Math.max(width - 1, 1) - 1, (2 * y) / Math.max(height - 1, 1) - 1];
}

/** The local coefficients (one per basis, then the background) at pixel (x, y). */
export function localCoefficients(kernel: MatchingKernel, x: number, y: number, out: Float64Array): void {
  expand(kernel.coefficients, kernel.basis.count, spatialTerms(x, y, kernel.width, kernel.height), out);
}

/** The kernel image at (x, y), (2h+1)², written into `out`. */
export function kernelImageAt(kernel: MatchingKernel, x: number, y: number, out: Float64Array): void {
  const local = new Float64Array(kernel.basis.count + 1);
  localCoefficients(kernel, x, y, local);
  out.fill(0);
  kernel.basis.images.forEach((image, k) => {
    const a = local[k] as number;
    for (let p = 0; p < image.length; p++) out[p] = (out[p] as number) + a * (image[p] as number);
  });
}

export function kernelSum(kernel: MatchingKernel): number {
  return kernel.coefficients[0] as number;
}

function expand(theta: Float64Array, count: number, p: readonly number[], out: Float64Array): void {
  out[0] = theta[0] as number;
  for (let k = 1; k < count; k++) {
    const o = 1 + 3 * (k - 1);
    out[k] =
      (theta[o] as number) * (p[0] as number) +
      (theta[o + 1] as number) * (p[1] as number) +
      (theta[o + 2] as number) * (p[2] as number);
  }
  const b = 1 + 3 * (count - 1);
  out[count] =
    (theta[b] as number) +
    (theta[b + 1] as number) * (p[1] as number) +
    (theta[b + 2] as number) * (p[2] as number);
}

interface StampSystem {
  readonly x: number;
  readonly y: number;
  /** Local normal matrix over (bases…, background), (count+1)². */
  readonly q: Float64Array;
  readonly b: Float64Array;
  /** Σ w·target². */
  readonly tt: number;
  readonly pixels: number;
}

/** Convolves the reference stamp with every basis and accumulates the weighted local normal equations. */
function stampSystem(
  target: MaskedImage,
  reference: MaskedImage,
  basis: KernelBasis,
  cx: number,
  cy: number,
  half: number,
): StampSystem | undefined {
  const { width, height } = target;
  const h = basis.half;
  if (cx - half - h < 0 || cy - half - h < 0 || cx + half + h >= width || cy + half + h >= height)
    return undefined;
  const side = 2 * half + 1;
  const n = side * side;
  const columns = basis.count + 1;
  // Bases of one Gaussian width and x power share their row filter: each is run over the stamp once.
  const rowPassed = new Map<Float64Array, Float32Array>();
  const column = new Float32Array(n);
  const design: Float64Array[] = [];
  for (let k = 0; k < basis.count; k++) {
    const rowFilter = basis.rowFilters[k] as Float64Array;
    let rows = rowPassed.get(rowFilter);
    if (!rows) {
      rows = stampRowPass(reference, rowFilter, cx, cy, half, h);
      rowPassed.set(rowFilter, rows);
    }
    stampColumnPass(rows, basis.columnFilters[k] as Float64Array, side, column);
    design.push(Float64Array.from(column));
  }
  const first = design[0] as Float64Array;
  // Descending, so the raw first column is still raw while the others subtract it.
  for (let k = basis.count - 1; k >= 0; k--) {
    const c = design[k] as Float64Array;
    const z = basis.zeroSum[k] as number;
    const s = basis.scale[k] as number;
    for (let p = 0; p < n; p++) c[p] = s * ((c[p] as number) - z * (k === 0 ? 0 : (first[p] as number)));
  }
  // Weighted design columns (√w·basis image, √w for the background) and √w·target, so each normal
  // matrix entry is one tight dot product over the stamp's pixels.
  const sqrtW = new Float64Array(n);
  const weightedTarget = new Float64Array(n);
  for (let j = 0; j < side; j++) {
    for (let i = 0; i < side; i++) {
      const p = j * side + i;
      const pixel = (cy - half + j) * width + (cx - half + i);
      const v = (target.variance[pixel] as number) + (reference.variance[pixel] as number);
      if (!(v > 0)) continue;
      const r = 1 / Math.sqrt(v);
      sqrtW[p] = r;
      weightedTarget[p] = r * (target.image[pixel] as number);
    }
  }
  for (const c of design) for (let p = 0; p < n; p++) c[p] = (c[p] as number) * (sqrtW[p] as number);
  design.push(sqrtW);
  const q = new Float64Array(columns * columns);
  const b = new Float64Array(columns);
  for (let r = 0; r < columns; r++) {
    const dr = design[r] as Float64Array;
    b[r] = dotProduct(dr, weightedTarget);
    for (let c = r; c < columns; c++) {
      const value = dotProduct(dr, design[c] as Float64Array);
      q[r * columns + c] = value;
      q[c * columns + r] = value;
    }
  }
  const tt = dotProduct(weightedTarget, weightedTarget);
  return { x: cx, y: cy, q, b, tt, pixels: n };
}

function dotProduct(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** rows[r·side + i] = Σ_u rowFilter(u)·reference[cy − half − h + r, cx − half + i − u], r over side + 2h rows. */
function stampRowPass(
  reference: MaskedImage,
  rowFilter: Float64Array,
  cx: number,
  cy: number,
  half: number,
  h: number,
): Float32Array {
  const { width, image } = reference;
  const side = 2 * half + 1;
  const taps = Float64Array.from(rowFilter).reverse();
  const rows = new Float32Array((side + 2 * h) * side);
  for (let r = 0; r < side + 2 * h; r++) {
    const start = (cy - half - h + r) * width + cx - half - h;
    const o = r * side;
    // The last step of four ends at the stamp's last column (recomputing up to three): no tail loop.
    for (let i = 0; i < side; i += 4) {
      const at = Math.min(i, side - 4);
      slidingDot4(image, start + at, 1, taps, rows, o + at, 1, false);
    }
  }
  return rows;
}

/** out[j·side + i] = Σ_v columnFilter(v)·rows[(j + h − v)·side + i]: the stamp convolved with one basis. */
function stampColumnPass(
  rows: Float32Array,
  columnFilter: Float64Array,
  side: number,
  out: Float32Array,
): void {
  const taps = Float64Array.from(columnFilter).reverse();
  for (let j = 0; j < side; j += 4) {
    const at = Math.min(j, side - 4);
    for (let i = 0; i < side; i++)
      slidingDot4(rows, at * side + i, side, taps, out, at * side + i, side, false);
  }
}

/** Which global unknowns a local coefficient depends on, and with which spatial factor. */
function localToGlobal(count: number, p: readonly number[]): Array<Array<[number, number]>> {
  const map: Array<Array<[number, number]>> = [[[0, 1]]];
  for (let k = 1; k < count; k++) {
    const o = 1 + 3 * (k - 1);
    map.push([
      [o, p[0] as number],
      [o + 1, p[1] as number],
      [o + 2, p[2] as number],
    ]);
  }
  const b = 1 + 3 * (count - 1);
  map.push([
    [b, 1],
    [b + 1, p[1] as number],
    [b + 2, p[2] as number],
  ]);
  return map;
}

function solveGlobal(
  locals: readonly StampSystem[],
  count: number,
  width: number,
  height: number,
): Float64Array {
  const m = unknownCount(count);
  const g = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  const columns = count + 1;
  for (const local of locals) {
    const map = localToGlobal(count, spatialTerms(local.x, local.y, width, height));
    for (let r = 0; r < columns; r++) {
      for (const [gi, fi] of map[r] as Array<[number, number]>) {
        rhs[gi] = (rhs[gi] as number) + fi * (local.b[r] as number);
        for (let c = 0; c < columns; c++) {
          const qrc = local.q[r * columns + c] as number;
          if (qrc === 0) continue;
          for (const [gj, fj] of map[c] as Array<[number, number]>)
            g[gi * m + gj] = (g[gi * m + gj] as number) + fi * fj * qrc;
        }
      }
    }
  }
  try {
    return solveSymmetric(g, rhs, m, 1e-9);
  } catch (error) {
    throw new KernelFitError(
      `the PSF-matching normal equations are singular (${locals.length} stamps): use more stamps or fewer bases`,
      { cause: error },
    );
  }
}

function stampChi2(
  local: StampSystem,
  theta: Float64Array,
  count: number,
  width: number,
  height: number,
): number {
  const a = new Float64Array(count + 1);
  expand(theta, count, spatialTerms(local.x, local.y, width, height), a);
  const columns = count + 1;
  let chi2 = local.tt;
  for (let r = 0; r < columns; r++) {
    chi2 -= 2 * (a[r] as number) * (local.b[r] as number);
    for (let c = 0; c < columns; c++)
      chi2 += (a[r] as number) * (local.q[r * columns + c] as number) * (a[c] as number);
  }
  return chi2 / Math.max(local.pixels - columns, 1);
}

function clipLimit(values: readonly number[], clipSigma: number): number {
  const m = median(values);
  const mad = median(values.map((v) => Math.abs(v - m)));
  return m + clipSigma * 1.4826 * Math.max(mad, 1e-3 * m);
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
