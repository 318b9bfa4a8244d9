// Small dense linear algebra for the kernel fit and the kernel's low-rank split: a Cholesky solve of
// normal equations (with a relative ridge so a degenerate basis cannot blow the fit up) and the
// leading singular triplets of a small matrix by power iteration with deflation.

/** Solves A·x = b for a symmetric positive-(semi)definite `n`×`n` A (row-major); A and b are not changed. */
export function solveSymmetric(
  matrix: Float64Array,
  rhs: Float64Array,
  n: number,
  ridge = 1e-10,
): Float64Array {
  const l = Float64Array.from(matrix);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += l[i * n + i] as number;
  const lift = (ridge * trace) / Math.max(n, 1);
  for (let i = 0; i < n; i++) l[i * n + i] = (l[i * n + i] as number) + lift;
  for (let j = 0; j < n; j++) {
    let d = l[j * n + j] as number;
    for (let k = 0; k < j; k++) d -= (l[j * n + k] as number) ** 2;
    if (!(d > 0)) throw new RangeError(`normal matrix is not positive definite at row ${j}`);
    const root = Math.sqrt(d);
    l[j * n + j] = root;
    for (let i = j + 1; i < n; i++) {
      let s = l[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * n + k] as number) * (l[j * n + k] as number);
      l[i * n + j] = s / root;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = rhs[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (y[k] as number);
    y[i] = s / (l[i * n + i] as number);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (x[k] as number);
    x[i] = s / (l[i * n + i] as number);
  }
  return x;
}

/** One separable term of a matrix: M ≈ Σ column ⊗ row (the singular value folded into `column`). */
export interface SeparableTerm {
  readonly column: Float64Array;
  readonly row: Float64Array;
}

/**
 * The fewest separable terms (at most `maxTerms`) whose sum leaves less than `tolerance` of the
 * matrix's squared Frobenius norm unexplained. `matrix` is `size`×`size`, row-major. `previous`, the
 * terms of a similar matrix (the kernel of the neighbouring cell), starts each power iteration from
 * its row vector, so it converges in a few steps instead of tens.
 */
export function separableTerms(
  matrix: Float64Array,
  size: number,
  tolerance: number,
  maxTerms: number,
  previous: readonly SeparableTerm[] = [],
): SeparableTerm[] {
  const residual = Float64Array.from(matrix);
  const total = frobenius2(residual);
  const terms: SeparableTerm[] = [];
  if (total === 0) return terms;
  while (terms.length < maxTerms && frobenius2(residual) > tolerance * total) {
    const u = new Float64Array(size);
    const v = startVector(previous[terms.length], size);
    let sigma = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      multiply(residual, size, v, u);
      const nu = norm(u);
      if (nu === 0) break;
      for (let i = 0; i < size; i++) u[i] = (u[i] as number) / nu;
      multiplyTransposed(residual, size, u, v);
      const previous = sigma;
      sigma = norm(v);
      if (sigma === 0) break;
      for (let i = 0; i < size; i++) v[i] = (v[i] as number) / sigma;
      if (Math.abs(sigma - previous) <= 1e-12 * sigma) break;
    }
    if (sigma === 0) break;
    const column = new Float64Array(size);
    for (let i = 0; i < size; i++) column[i] = sigma * (u[i] as number);
    for (let i = 0; i < size; i++)
      for (let j = 0; j < size; j++)
        residual[i * size + j] =
          (residual[i * size + j] as number) - (column[i] as number) * (v[j] as number);
    terms.push({ column, row: Float64Array.from(v) });
  }
  return terms;
}

/** The previous term's row direction, or the uniform unit vector. */
function startVector(previous: SeparableTerm | undefined, size: number): Float64Array {
  if (previous && previous.row.length === size) {
    const n = norm(previous.row);
    if (n > 0) return previous.row.map((x) => x / n);
  }
  return new Float64Array(size).fill(1 / Math.sqrt(size));
}

function frobenius2(m: Float64Array): number {
  let s = 0;
  for (let i = 0; i < m.length; i++) s += (m[i] as number) ** 2;
  return s;
}

function norm(v: Float64Array): number {
  return Math.sqrt(frobenius2(v));
}

function multiply(m: Float64Array, n: number, v: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += (m[i * n + j] as number) * (v[j] as number);
    out[i] = s;
  }
}

function multiplyTransposed(m: Float64Array, n: number, v: Float64Array, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const vi = v[i] as number;
    for (let j = 0; j < n; j++) out[j] = (out[j] as number) + (m[i * n + j] as number) * vi;
  }
}
