// Adaptive second moments (Bernstein & Jarvis 2002): the Gaussian weight is matched iteratively to
// the object, so for a Gaussian star the weighted moments converge to half its covariance and the
// weight itself becomes the star's covariance. Used on bright isolated stars to fit the PSF.

import { gaussianWindow } from './gaussian-window';

export interface Moments {
  readonly x: number;
  readonly y: number;
  readonly ixx: number;
  readonly iyy: number;
  readonly ixy: number;
}

const MAX_ITERATIONS = 50;
const TOLERANCE = 1e-6;

/**
 * Adaptive moments of the object near (x, y), starting from a round weight of variance `sigma2`;
 * undefined when the iteration diverges or leaves the `half`-pixel stamp.
 */
export function adaptiveMoments(
  image: Float32Array,
  width: number,
  height: number,
  x: number,
  y: number,
  sigma2: number,
  half: number,
): Moments | undefined {
  let wxx = sigma2;
  let wyy = sigma2;
  let wxy = 0;
  let xc = x;
  let yc = y;
  const cx = Math.round(x);
  const cy = Math.round(y);
  if (cx - half < 0 || cy - half < 0 || cx + half >= width || cy + half >= height) return undefined;
  const size = 2 * half + 1;
  const weights = new Float64Array(size * size);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const det = wxx * wyy - wxy * wxy;
    if (!(det > 0)) return undefined;
    const a = wyy / det;
    const b = -wxy / det;
    const c = wxx / det;
    let s0 = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    const dx0 = cx - half - xc;
    const dy0 = cy - half - yc;
    gaussianWindow(a, b, c, dx0, dy0, size, size, weights);
    for (let j = 0; j < size; j++) {
      const dy = dy0 + j;
      const row = (cy - half + j) * width + cx - half;
      for (let i = 0; i < size; i++) {
        const dx = dx0 + i;
        const w = (weights[j * size + i] as number) * (image[row + i] as number);
        s0 += w;
        sx += w * dx;
        sy += w * dy;
        sxx += w * dx * dx;
        syy += w * dy * dy;
        sxy += w * dx * dy;
      }
    }
    if (!(s0 > 0)) return undefined;
    const mx = sx / s0;
    const my = sy / s0;
    // Weighted covariance Q, then the object's covariance C = (Q⁻¹ − W⁻¹)⁻¹; the next weight is C.
    const qxx = sxx / s0 - mx * mx;
    const qyy = syy / s0 - my * my;
    const qxy = sxy / s0 - mx * my;
    const next = objectCovariance(qxx, qyy, qxy, a, b, c);
    if (next === undefined) return undefined;
    xc += mx;
    yc += my;
    const change = Math.abs(next.xx - wxx) + Math.abs(next.yy - wyy) + Math.abs(next.xy - wxy);
    wxx = next.xx;
    wyy = next.yy;
    wxy = next.xy;
    if (Math.abs(xc - x) > half / 2 || Math.abs(yc - y) > half / 2) return undefined;
    if (change < TOLERANCE * (wxx + wyy) && Math.abs(mx) + Math.abs(my) < TOLERANCE) {
      return { x: xc, y: yc, ixx: wxx, iyy: wyy, ixy: wxy };
    }
  }
  return undefined;
}

/** (Q⁻¹ − W⁻¹)⁻¹ with W⁻¹ = [[a, b], [b, c]]; undefined unless it is positive definite. */
function objectCovariance(
  qxx: number,
  qyy: number,
  qxy: number,
  a: number,
  b: number,
  c: number,
): { xx: number; yy: number; xy: number } | undefined {
  const qdet = qxx * qyy - qxy * qxy;
  if (!(qdet > 0)) return undefined;
  const ia = qyy / qdet - a;
  const ib = -qxy / qdet - b;
  const ic = qxx / qdet - c;
  const det = ia * ic - ib * ib;
  if (!(det > 0 && ia > 0)) return undefined;
  return { xx: ic / det, yy: ia / det, xy: -ib / det };
}
