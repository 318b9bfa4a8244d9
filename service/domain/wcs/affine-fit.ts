// Least-squares fit of an affine map from pixel offsets (u, v) to tangent-plane coordinates: two
// independent 3-parameter linear regressions solved by their 3×3 normal equations.

export interface Affine {
  /** ξ = a0 + a1·u + a2·v;  η = b0 + b1·u + b2·v. */
  readonly a0: number;
  readonly a1: number;
  readonly a2: number;
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
}

/** Fits over the pairs whose `use` flag is 1; undefined when they do not constrain the map. */
export function fitAffine(
  u: Float64Array,
  v: Float64Array,
  xi: Float64Array,
  eta: Float64Array,
  use: Uint8Array,
): Affine | undefined {
  let n = 0;
  let su = 0;
  let sv = 0;
  let suu = 0;
  let svv = 0;
  let suv = 0;
  let sx = 0;
  let sux = 0;
  let svx = 0;
  let se = 0;
  let sue = 0;
  let sve = 0;
  for (let i = 0; i < u.length; i++) {
    if (use[i] !== 1) continue;
    const ui = u[i] as number;
    const vi = v[i] as number;
    const x = xi[i] as number;
    const e = eta[i] as number;
    n++;
    su += ui;
    sv += vi;
    suu += ui * ui;
    svv += vi * vi;
    suv += ui * vi;
    sx += x;
    sux += ui * x;
    svx += vi * x;
    se += e;
    sue += ui * e;
    sve += vi * e;
  }
  if (n < 3) return undefined;
  const m: Matrix3 = [n, su, sv, su, suu, suv, sv, suv, svv];
  const a = solve3(m, sx, sux, svx);
  const b = solve3(m, se, sue, sve);
  if (a === undefined || b === undefined) return undefined;
  return { a0: a[0], a1: a[1], a2: a[2], b0: b[0], b1: b[1], b2: b[2] };
}

type Matrix3 = readonly [number, number, number, number, number, number, number, number, number];

/** Cramer's rule on a symmetric 3×3 system; undefined when it is (nearly) singular. */
function solve3(m: Matrix3, r0: number, r1: number, r2: number): [number, number, number] | undefined {
  const [a, b, c, d, e, f, g, h, i] = m;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  const scale = Math.abs(a * e * i) + Math.abs(b * f * g) + Math.abs(c * d * h) + 1e-300;
  if (!(Math.abs(det) > 1e-12 * scale)) return undefined;
  const x0 = (r0 * (e * i - f * h) - b * (r1 * i - f * r2) + c * (r1 * h - e * r2)) / det;
  const x1 = (a * (r1 * i - f * r2) - r0 * (d * i - f * g) + c * (d * r2 - r1 * g)) / det;
  const x2 = (a * (e * r2 - r1 * h) - b * (d * r2 - r1 * g) + r0 * (d * h - e * g)) / det;
  return [x0, x1, x2];
}
