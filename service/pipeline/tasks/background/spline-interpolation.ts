// Interpolating the background mesh to every pixel: separable natural cubic splines (or straight lines)
// through the mesh centres, extended linearly beyond the outermost centres. Each pass treats many
// splines with the same knots at once (one per mesh row, then one per image column), so the hot loop
// is four multiply-adds per pixel over contiguous rows.

import type { BackgroundMesh } from './background-mesh';

export type Interpolation = 'cubic-spline' | 'bilinear';

/** The full-resolution background (width × height, row-major) from a mesh. */
export function interpolateMesh(
  mesh: BackgroundMesh,
  width: number,
  height: number,
  interpolation: Interpolation,
): Float32Array {
  const cubic = interpolation === 'cubic-spline';
  const { nx, ny } = mesh;
  // Pass 1, along x: splines over the nx mesh columns, one per mesh row (vectors of length ny).
  const byColumn = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) byColumn[i * ny + j] = mesh.levels[j * nx + i] as number;
  const alongX = new Float32Array(width * ny);
  evaluateSplines(mesh.centersX, byColumn, ny, cubic, width, alongX);
  // Pass 2, along y: splines over the ny mesh rows, one per image column (vectors of length width).
  const rows = new Float64Array(ny * width);
  for (let x = 0; x < width; x++)
    for (let j = 0; j < ny; j++) rows[j * width + x] = alongX[x * ny + j] as number;
  const out = new Float32Array(width * height);
  evaluateSplines(mesh.centersY, rows, width, cubic, height, out);
  return out;
}

/**
 * `values` holds k knot vectors of length n (knot-major). Writes, for each position p = 0..count-1,
 * the n spline values at p into out[p·n ..]. Natural splines (zero curvature at the end knots) when
 * `cubic`, else piecewise linear; both continue linearly past the end knots.
 */
export function evaluateSplines(
  knots: Float64Array,
  values: Float64Array,
  n: number,
  cubic: boolean,
  count: number,
  out: Float32Array,
): void {
  const k = knots.length;
  if (k === 1) {
    for (let p = 0; p < count; p++) for (let x = 0; x < n; x++) out[p * n + x] = values[x] as number;
    return;
  }
  const curvature = cubic && k > 2 ? secondDerivatives(knots, values, n) : new Float64Array(k * n);
  let lo = 0;
  for (let p = 0; p < count; p++) {
    let a: number;
    let b: number;
    let c: number;
    let d: number;
    const t0 = knots[0] as number;
    const tLast = knots[k - 1] as number;
    if (p < t0) {
      lo = 0;
      const h = (knots[1] as number) - t0;
      const s = p - t0;
      a = 1 - s / h;
      b = s / h;
      c = (-s * h) / 3;
      d = (-s * h) / 6;
    } else if (p > tLast) {
      lo = k - 2;
      const h = tLast - (knots[k - 2] as number);
      const s = p - tLast;
      a = -s / h;
      b = 1 + s / h;
      c = (s * h) / 6;
      d = (s * h) / 3;
    } else {
      while (lo < k - 2 && p > (knots[lo + 1] as number)) lo++;
      const h = (knots[lo + 1] as number) - (knots[lo] as number);
      a = ((knots[lo + 1] as number) - p) / h;
      b = 1 - a;
      c = ((a * a * a - a) * h * h) / 6;
      d = ((b * b * b - b) * h * h) / 6;
    }
    const y0 = lo * n;
    const y1 = y0 + n;
    const o = p * n;
    for (let x = 0; x < n; x++) {
      out[o + x] =
        a * (values[y0 + x] as number) +
        b * (values[y1 + x] as number) +
        c * (curvature[y0 + x] as number) +
        d * (curvature[y1 + x] as number);
    }
  }
}

/** Second derivatives of the natural splines at the knots (tridiagonal solve, all vectors at once). */
function secondDerivatives(knots: Float64Array, values: Float64Array, n: number): Float64Array {
  const k = knots.length;
  const m = new Float64Array(k * n);
  const cPrime = new Float64Array(k);
  for (let i = 1; i < k - 1; i++) {
    const hPrev = (knots[i] as number) - (knots[i - 1] as number);
    const h = (knots[i + 1] as number) - (knots[i] as number);
    const denominator = 2 * (hPrev + h) - hPrev * (cPrime[i - 1] as number);
    cPrime[i] = h / denominator;
    const row = i * n;
    for (let x = 0; x < n; x++) {
      const rhs =
        6 *
        (((values[row + n + x] as number) - (values[row + x] as number)) / h -
          ((values[row + x] as number) - (values[row - n + x] as number)) / hPrev);
      // m holds d' during the forward sweep.
      m[row + x] = (rhs - hPrev * (m[row - n + x] as number)) / denominator;
    }
  }
  for (let i = k - 3; i >= 1; i--) {
    const row = i * n;
    const c = cPrime[i] as number;
    for (let x = 0; x < n; x++) m[row + x] = (m[row + x] as number) - c * (m[row + n + x] as number);
  }
  return m;
}
