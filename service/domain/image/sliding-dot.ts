// The inner step of the separable convolutions: four consecutive outputs along a row or a column share
// each tap and slide over the input, so every input value is read about once per tap instead of once
// per tap and output. Kept tiny so V8 inlines it into the callers' pixel loops.

/**
 * out[at + r·outStride] (+)= Σ_k taps[k]·input[start + (k + r)·stride] for r = 0…3 (added to what
 * `out` holds when `accumulate`).
 */
export function slidingDot4(
  input: Float32Array,
  start: number,
  stride: number,
  taps: Float64Array,
  out: Float32Array,
  at: number,
  outStride: number,
  accumulate: boolean,
): void {
  let s0 = accumulate ? (out[at] as number) : 0;
  let s1 = accumulate ? (out[at + outStride] as number) : 0;
  let s2 = accumulate ? (out[at + 2 * outStride] as number) : 0;
  let s3 = accumulate ? (out[at + 3 * outStride] as number) : 0;
  let j = start;
  let p = input[j] as number;
  let q = input[j + stride] as number;
  let r = input[j + 2 * stride] as number;
  j += 3 * stride;
  for (let k = 0; k < taps.length; k++) {
    const w = taps[k] as number;
    const u = input[j] as number;
    j += stride;
    s0 += w * p;
    s1 += w * q;
    s2 += w * r;
    s3 += w * u;
    p = q;
    q = r;
    r = u;
  }
  out[at] = s0;
  out[at + outStride] = s1;
  out[at + 2 * outStride] = s2;
  out[at + 3 * outStride] = s3;
}
