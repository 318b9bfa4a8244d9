// The error function to float64 round-off, for pixel-integrated Gaussian profiles: differences of
// erf at neighbouring pixel edges must stay accurate far into the wings.

/** erf(x), absolute error below 1e-15 (series near 0, continued fraction for erfc beyond). */
export function erf(x: number): number {
  if (x < 0) return -erf(-x);
  if (x < 2.5) return erfSeries(x);
  return 1 - erfcContinuedFraction(x);
}

/** erf by its Maclaurin series in the form 2x/√π·e^{−x²}·Σ (2x²)^n / (1·3·…·(2n+1)): all terms positive. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return (2 / Math.sqrt(Math.PI)) * x * Math.exp(-x2) * sum;
}

/** erfc(x) for x ≥ 2.5 by Lentz's evaluation of its continued fraction. */
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  // erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))).
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    d = x + an * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + an / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/**
 * Fractions of a unit-flux 1-D Gaussian (centre `center`, width `sigma`) falling in pixels
 * `first .. first+out.length-1`, pixel i spanning [i−½, i+½): ½[erf((i+½−x0)/√2σ) − erf((i−½−x0)/√2σ)].
 */
export function pixelIntegratedGaussian(
  center: number,
  sigma: number,
  first: number,
  out: Float64Array,
): void {
  const scale = 1 / (Math.SQRT2 * sigma);
  let lower = erf((first - 0.5 - center) * scale);
  for (let i = 0; i < out.length; i++) {
    const upper = erf((first + i + 0.5 - center) * scale);
    out[i] = 0.5 * (upper - lower);
    lower = upper;
  }
}
