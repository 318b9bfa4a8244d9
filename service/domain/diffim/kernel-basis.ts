// The Alard–Lupton kernel basis: Gaussians of a few widths times polynomials u^i·v^j up to a degree
// per width. The first basis is the narrowest Gaussian normalised to unit sum; every other one has
// that Gaussian's multiple subtracted so it sums to zero, which makes the kernel's sum (the
// photometric scaling) a single coefficient. Each raw basis is separable, so stamps are convolved
// with two 1-D filters and the zero-sum correction applied afterwards.

export interface KernelBasisOptions {
  /** Gaussian widths, pixels. */
  readonly sigmas: readonly number[];
  /** Polynomial degree per width. */
  readonly degrees: readonly number[];
  /** Kernel half-width h: the kernel is (2h+1)². */
  readonly half: number;
}

export interface KernelBasis {
  readonly half: number;
  readonly size: number;
  readonly count: number;
  /** Separable factors of raw basis k: B_k(u, v) = rowFilter[k][u+h] · columnFilter[k][v+h]. */
  readonly rowFilters: readonly Float64Array[];
  readonly columnFilters: readonly Float64Array[];
  /** Final basis k = scale[k] · (raw_k − zeroSum[k] · raw_0); zeroSum[0] = 0. */
  readonly scale: Float64Array;
  readonly zeroSum: Float64Array;
  /** Final basis images, (2h+1)² each, row-major (v rows, u columns). */
  readonly images: readonly Float64Array[];
}

export function kernelBasis(options: KernelBasisOptions): KernelBasis {
  const { sigmas, degrees, half } = options;
  if (sigmas.length === 0 || sigmas.length !== degrees.length) {
    throw new RangeError('kernel basis needs one polynomial degree per Gaussian width');
  }
  const size = 2 * half + 1;
  const rowFilters: Float64Array[] = [];
  const columnFilters: Float64Array[] = [];
  sigmas.forEach((sigma, s) => {
    const degree = degrees[s] as number;
    // One array per (width, power): bases that share a row filter share the object, so a stamp's
    // row pass can be reused across them.
    const filters = Array.from({ length: degree + 1 }, (_, power) => gaussianPolynomial(sigma, power, half));
    for (let i = 0; i <= degree; i++) {
      for (let j = 0; j <= degree - i; j++) {
        rowFilters.push(filters[i] as Float64Array);
        columnFilters.push(filters[j] as Float64Array);
      }
    }
  });
  const count = rowFilters.length;
  const raw = rowFilters.map((row, k) => outer(columnFilters[k] as Float64Array, row));
  const scale = new Float64Array(count);
  const zeroSum = new Float64Array(count);
  const first = raw[0] as Float64Array;
  const firstSum = sum(first);
  scale[0] = 1 / firstSum;
  const images: Float64Array[] = [first.map((value) => value / firstSum)];
  for (let k = 1; k < count; k++) {
    const b = raw[k] as Float64Array;
    const z = sum(b) / firstSum;
    const image = b.map((value, p) => value - z * (first[p] as number));
    const n = Math.sqrt(image.reduce((acc, value) => acc + value * value, 0));
    zeroSum[k] = z;
    scale[k] = n > 0 ? 1 / n : 0;
    images.push(image.map((value) => value * (scale[k] as number)));
  }
  return { half, size, count, rowFilters, columnFilters, scale, zeroSum, images };
}

/** exp(−u²/2σ²)·(u/σ)^power at u = −h..h (scaled by σ so high powers stay well conditioned). */
function gaussianPolynomial(sigma: number, power: number, half: number): Float64Array {
  const filter = new Float64Array(2 * half + 1);
  for (let u = -half; u <= half; u++)
    filter[u + half] = Math.exp((-0.5 * u * u) / (sigma * sigma)) * (u / sigma) ** power;
  return filter;
}

function outer(column: Float64Array, row: Float64Array): Float64Array {
  const out = new Float64Array(column.length * row.length);
  for (let v = 0; v < column.length; v++)
    for (let u = 0; u < row.length; u++) out[v * row.length + u] = (column[v] as number) * (row[u] as number);
  return out;
}

function sum(values: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return s;
}
