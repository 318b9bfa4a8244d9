// A seeded random generator for synthetic data: xoshiro128** (32-bit state words, fast in V8) with
// uniform, normal and Poisson deviates. Same seed → same pixels on every machine.

const TWO_POW_32 = 2 ** 32;

export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal = Number.NaN;

  constructor(seed: number) {
    // splitmix32 spreads any seed (0 included) over the four state words.
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in (0, 1): never 0, so logarithms are safe. */
  uniform(): number {
    return (this.nextUint32() + 0.5) / TWO_POW_32;
  }

  /** Standard normal deviate (Box–Muller, the second value of each pair kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const spare = this.spareNormal;
      this.spareNormal = Number.NaN;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /**
   * Poisson deviate of mean `lambda`: exact inversion below 12, exact transformed rejection (Hörmann's
   * PTRS) up to `gaussianAbove`, and N(λ, λ) rounded beyond it (skewness 1/√λ ≤ 3 % there).
   */
  poisson(lambda: number, gaussianAbove = 1000): number {
    if (!(lambda > 0)) return 0;
    if (lambda < 12) return this.poissonByInversion(lambda);
    if (lambda < gaussianAbove) return this.poissonByRejection(lambda);
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
  }

  private poissonByInversion(lambda: number): number {
    const u = this.uniform();
    let k = 0;
    let p = Math.exp(-lambda);
    let cumulative = p;
    while (u > cumulative && k < 200) {
      k++;
      p *= lambda / k;
      cumulative += p;
    }
    return k;
  }

  private poissonByRejection(lambda: number): number {
    const sqrtLambda = Math.sqrt(lambda);
    const logLambda = Math.log(lambda);
    const b = 0.931 + 2.53 * sqrtLambda;
    const a = -0.059 + 0.02483 * b;
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log((v * invAlpha) / (a / (us * us) + b)) <= -lambda + k * logLambda - logFactorial(k))
        return k;
    }
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const SMALL_LOG_FACTORIALS: readonly number[] = (() => {
  const table = [0];
  for (let k = 1; k < 32; k++) table.push((table[k - 1] as number) + Math.log(k));
  return table;
})();

/** ln k!, from a table below 32 and Stirling's series (error < 1e-12) above. */
export function logFactorial(k: number): number {
  if (k < 32) return SMALL_LOG_FACTORIALS[k] as number;
  const n = k + 1;
  return (
    (n - 0.5) * Math.log(n) -
    n +
    0.5 * Math.log(2 * Math.PI) +
    1 / (12 * n) -
    1 / (360 * n ** 3) +
    1 / (1260 * n ** 5)
  );
}
