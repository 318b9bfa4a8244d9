// A small seeded random generator for synthetic data: xoshiro128** (Blackman & Vigna) seeded through
// splitmix32, with uniform, Gaussian and exact Poisson deviates. Same seed → same sequence, on any
// platform, so truth tables are reproducible; no global state.

/** Uniform, normal and Poisson deviates from one seeded stream. */
export interface RandomSource {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  /**
   * Poisson with mean `lambda` (≥ 0), exact; above `gaussianAbove` (default: never) the rounded
   * N(λ, λ) stands in, whose skewness 1/√λ is ≤ 3 % from λ = 1000 — much faster for bright pixels.
   */
  poisson(lambda: number, gaussianAbove?: number): number;
}

const TWO_TO_MINUS_32 = 2 ** -32;

/** A generator seeded by any integer; two generators with the same seed produce the same deviates. */
export function seededRandom(seed: number): RandomSource {
  const state = new Uint32Array(4);
  let s = seed >>> 0;
  for (let i = 0; i < 4; i++) {
    // splitmix32: spreads a small seed over the 128-bit state, never all zeros.
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    state[i] = (z ^ (z >>> 16)) >>> 0;
  }
  let spareNormal = Number.NaN;

  function nextUint32(): number {
    const s0 = state[0] as number;
    const s1 = state[1] as number;
    const s2 = state[2] as number;
    const s3 = state[3] as number;
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    const n2 = (s2 ^ s0) >>> 0;
    const n3 = (s3 ^ s1) >>> 0;
    state[1] = (s1 ^ n2) >>> 0;
    state[0] = (s0 ^ n3) >>> 0;
    state[2] = (n2 ^ t) >>> 0;
    state[3] = rotl(n3, 11);
    return result;
  }

  function uniform(): number {
    return nextUint32() * TWO_TO_MINUS_32;
  }

  function normal(): number {
    if (!Number.isNaN(spareNormal)) {
      const value = spareNormal;
      spareNormal = Number.NaN;
      return value;
    }
    // Marsaglia's polar method: two deviates per accepted pair, no trigonometry.
    for (;;) {
      const u = 2 * uniform() - 1;
      const v = 2 * uniform() - 1;
      const r2 = u * u + v * v;
      if (r2 > 0 && r2 < 1) {
        const f = Math.sqrt((-2 * Math.log(r2)) / r2);
        spareNormal = v * f;
        return u * f;
      }
    }
  }

  function poisson(lambda: number, gaussianAbove = Number.POSITIVE_INFINITY): number {
    if (!(lambda > 0)) return 0;
    if (lambda >= gaussianAbove) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()));
    return lambda < 10 ? poissonByInversion(lambda, uniform) : poissonPtrs(lambda, uniform);
  }

  return { uniform, normal, poisson };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Sequential-search inversion: exact, O(λ) work, so only for small means. */
function poissonByInversion(lambda: number, uniform: () => number): number {
  let k = 0;
  let p = Math.exp(-lambda);
  let cumulative = p;
  const u = uniform();
  while (u > cumulative && k < 1000) {
    k++;
    p *= lambda / k;
    cumulative += p;
  }
  return k;
}

/** Hörmann's PTRS transformed rejection (1993): exact for λ ≥ 10 in O(1) expected work. */
function poissonPtrs(lambda: number, uniform: () => number): number {
  const sqrtLambda = Math.sqrt(lambda);
  const logLambda = Math.log(lambda);
  const b = 0.931 + 2.53 * sqrtLambda;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = uniform() - 0.5;
    const v = uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (
      Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <=
      -lambda + k * logLambda - logFactorial(k)
    ) {
      return k;
    }
  }
}

const SMALL_LOG_FACTORIALS = (() => {
  const table = new Float64Array(16);
  for (let k = 2; k < 16; k++) table[k] = (table[k - 1] as number) + Math.log(k);
  return table;
})();

/** ln k! — a table for small k, Stirling's series beyond (error < 1e-10 for k ≥ 16). */
function logFactorial(k: number): number {
  if (k < 16) return SMALL_LOG_FACTORIALS[k] as number;
  const x = k + 1;
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (
    (x - 0.5) * Math.log(x) -
    x +
    0.5 * Math.log(2 * Math.PI) +
    inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260))
  );
}

/** Just the uniform stream of a seeded generator, for code that needs nothing else. */
export function seededUniform(seed: number): () => number {
  const random = seededRandom(seed);
  return () => random.uniform();
}
