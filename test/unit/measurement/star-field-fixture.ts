// A background-subtracted synthetic exposure with its truth, as ISR + background would hand it to
// detection: constant sky removed, variance from the pixel values (Poisson) plus read noise, and the
// per-star quantities the acceptance tests score against (Cramér–Rao bound, isolation).

import { type MaskedImage, maskedImage } from '../../../service/domain/image/masked-image';
import { renderStarField, type StarField } from '../../../service/domain/synthetic/star-field';

export interface Scene {
  readonly field: StarField;
  readonly exposure: MaskedImage;
}

export function scene(width: number, height: number, seed: number, density = 2.5e-4): Scene {
  const field = renderStarField({
    width,
    height,
    seed,
    starCount: Math.round(width * height * density),
    fwhmPixels: 4,
    faintestFlux: 300,
    brightestFlux: 3e6,
    skyElectrons: 800,
    readNoise: 8,
  });
  const n = width * height;
  const image = new Float32Array(n);
  const variance = new Float32Array(n);
  const rn2 = field.readNoise ** 2;
  for (let i = 0; i < n; i++) {
    const e = field.electrons[i] as number;
    image[i] = e - field.skyElectrons;
    variance[i] = Math.max(e, 0) + rn2;
  }
  return { field, exposure: maskedImage(width, height, image, variance) };
}

/**
 * Cramér–Rao bound on one axis of the position of star k alone on the sky: 1/√(Fisher information),
 * with Fisher = Σ (∂λ/∂x0)² / (λ + σ_r²) over the exact pixel-integrated Gaussian.
 */
export function cramerRaoX(field: StarField, k: number): number {
  const s = field.sigmaPixels;
  const x0 = field.truth.x[k] as number;
  const y0 = field.truth.y[k] as number;
  const flux = field.truth.flux[k] as number;
  const half = Math.ceil(6 * s);
  const cx = Math.round(x0);
  const cy = Math.round(y0);
  const px = new Float64Array(2 * half + 1);
  const dpx = new Float64Array(2 * half + 1);
  const py = new Float64Array(2 * half + 1);
  const g = (t: number, c: number): number => Math.exp(-((t - c) ** 2) / (2 * s * s));
  for (let i = 0; i <= 2 * half; i++) {
    const xi = cx - half + i;
    const yi = cy - half + i;
    px[i] =
      0.5 * (erfApprox((xi + 0.5 - x0) / (Math.SQRT2 * s)) - erfApprox((xi - 0.5 - x0) / (Math.SQRT2 * s)));
    py[i] =
      0.5 * (erfApprox((yi + 0.5 - y0) / (Math.SQRT2 * s)) - erfApprox((yi - 0.5 - y0) / (Math.SQRT2 * s)));
    dpx[i] = -(g(xi + 0.5, x0) - g(xi - 0.5, x0)) / (Math.sqrt(2 * Math.PI) * s);
  }
  let fisher = 0;
  for (let j = 0; j <= 2 * half; j++) {
    for (let i = 0; i <= 2 * half; i++) {
      const lambda = field.skyElectrons + flux * (px[i] as number) * (py[j] as number);
      const d = flux * (dpx[i] as number) * (py[j] as number);
      fisher += (d * d) / (lambda + field.readNoise ** 2);
    }
  }
  return 1 / Math.sqrt(fisher);
}

/** Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): plenty for a Fisher sum. */
function erfApprox(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return sign * y;
}

/**
 * Neighbours add less than half a σ of PSF-weighted flux to star k (overlap of two Gaussians of σ:
 * e^{−r²/4σ²}): the stars for which centroid and flux statistics test the measurement, not blending.
 */
export function isIsolated(field: StarField, k: number): boolean {
  const { x, y, flux } = field.truth;
  const s = field.sigmaPixels;
  let contamination = 0;
  for (let j = 0; j < x.length; j++) {
    if (j === k) continue;
    const r2 = ((x[j] as number) - (x[k] as number)) ** 2 + ((y[j] as number) - (y[k] as number)) ** 2;
    if (r2 < 900) contamination += (flux[j] as number) * Math.exp(-r2 / (4 * s * s));
  }
  const error = (flux[k] as number) / (field.truth.snr[k] as number);
  return contamination < 0.5 * error;
}

export function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

export function standardDeviation(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length);
}
