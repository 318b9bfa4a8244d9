// Order statistics on scratch arrays: quickselect (Hoare's selection, O(n) on average) instead of a
// full sort, because ISR and background take medians of millions of pixels in small groups.

/** The k-th smallest of the first `n` values (0-based); reorders `values[0..n)`. */
export function selectKth(values: Float64Array | Float32Array, n: number, k: number): number {
  let left = 0;
  let right = n - 1;
  while (right > left) {
    const pivot = median3(
      values[left] as number,
      values[(left + right) >>> 1] as number,
      values[right] as number,
    );
    let i = left;
    let j = right;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const t = values[i] as number;
        values[i] = values[j] as number;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return values[k] as number;
  }
  return values[k] as number;
}

function median3(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : Math.max(a, c);
  return a < c ? a : Math.max(b, c);
}

/** Median of the first `n` values (mean of the two middle ones when n is even); reorders them. NaN when n is 0. */
export function medianInPlace(values: Float64Array | Float32Array, n: number): number {
  if (n === 0) return Number.NaN;
  const upper = selectKth(values, n, n >>> 1);
  if (n % 2 === 1) return upper;
  // After selection everything below n/2 is ≤ upper: the lower middle is their maximum.
  let lower = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n >>> 1; i++) if ((values[i] as number) > lower) lower = values[i] as number;
  return (lower + upper) / 2;
}

export interface ClippedMean {
  readonly mean: number;
  readonly sigma: number;
  readonly count: number;
}

/**
 * Iterated sigma-clipped mean of the first `n` values: start from the median and the MAD σ, then keep
 * values within `clipSigma`·σ of the current mean and recompute, `iterations` times. Reorders the
 * values; `scratch` (at least `n` long) holds the absolute deviations.
 */
export function clippedMeanInPlace(
  values: Float64Array | Float32Array,
  n: number,
  clipSigma: number,
  iterations: number,
  scratch: Float64Array | Float32Array,
): ClippedMean {
  if (n === 0) return { mean: Number.NaN, sigma: Number.NaN, count: 0 };
  const center = medianInPlace(values, n);
  for (let i = 0; i < n; i++) scratch[i] = Math.abs((values[i] as number) - center);
  const sigma = 1.4826 * medianInPlace(scratch, n);
  return clipAround(values, n, center, sigma, clipSigma, iterations);
}

/**
 * The same, with the first guess (median, MAD σ) taken from an evenly strided sample of at most
 * `sampleSize` values: the clipping iterations that follow use every value, so the result barely
 * depends on the guess, and large meshes cost a few passes instead of two selections. `values` keeps
 * its order; `scratch` needs `sampleSize` room.
 */
export function clippedMeanFromSample(
  values: Float64Array | Float32Array,
  n: number,
  clipSigma: number,
  iterations: number,
  scratch: Float64Array | Float32Array,
  sampleSize: number,
): ClippedMean {
  if (n === 0) return { mean: Number.NaN, sigma: Number.NaN, count: 0 };
  const stride = Math.max(1, Math.ceil(n / sampleSize));
  let m = 0;
  for (let i = 0; i < n; i += stride) scratch[m++] = values[i] as number;
  const center = medianInPlace(scratch, m);
  for (let i = 0; i < m; i++) scratch[i] = Math.abs((scratch[i] as number) - center);
  const sigma = 1.4826 * medianInPlace(scratch, m);
  return clipAround(values, n, center, sigma, clipSigma, iterations);
}

function clipAround(
  values: Float64Array | Float32Array,
  n: number,
  start: number,
  startSigma: number,
  clipSigma: number,
  iterations: number,
): ClippedMean {
  let center = start;
  let sigma = startSigma;
  let count = n;
  for (let iteration = 0; iteration < iterations; iteration++) {
    const low = center - clipSigma * sigma;
    const high = center + clipSigma * sigma;
    let sum = 0;
    let sumSq = 0;
    count = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      if (v >= low && v <= high) {
        // Offsets from the current centre keep the sum of squares accurate in float64.
        const d = v - start;
        sum += d;
        sumSq += d * d;
        count++;
      }
    }
    if (count < 2) break;
    const meanOffset = sum / count;
    center = start + meanOffset;
    sigma = Math.sqrt(Math.max(0, (sumSq - sum * meanOffset) / (count - 1)));
    if (!(sigma > 0)) break;
  }
  return { mean: center, sigma, count };
}
