// Renders a synthetic star field with known truth (astro.md §6.2–6.4): power-law number counts placed
// uniformly, an exact pixel-integrated circular Gaussian PSF (separable erf differences), a flat sky,
// Poisson photon noise and Gaussian read noise, all from one seeded generator. Pure: options in,
// electrons image and truth table out. Raw writers turn the electrons into ADU, bias and overscan.

import { pixelIntegratedGaussian } from './error-function';
import { seededRandom } from './random';

export interface StarFieldOptions {
  readonly width: number;
  readonly height: number;
  readonly seed: number;
  readonly starCount: number;
  /** PSF full width at half maximum, pixels (σ = FWHM / 2.3548). */
  readonly fwhmPixels: number;
  /** Total electrons of the faintest and the brightest star drawn. */
  readonly faintestFlux: number;
  readonly brightestFlux: number;
  /** Slope of the counts, dN/dm ∝ 10^{slope·m}; 0.3 is the classic Galactic-field value. */
  readonly countSlope?: number;
  /** Sky, electrons per pixel for the whole exposure. */
  readonly skyElectrons: number;
  /** Read noise, electrons RMS per pixel. */
  readonly readNoise: number;
  /** Keep star centres this many pixels inside the edges (default 0). */
  readonly marginPixels?: number;
}

/** The stars as drawn: 0-based pixel coordinates with pixel centres on integers. */
export interface StarTruth {
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Total electrons. */
  readonly flux: Float64Array;
  /** PSF-optimal SNR, F/√(F + V·n_eff) with V = sky + read noise² and n_eff = 4πσ² (astro.md §6.6). */
  readonly snr: Float64Array;
}

export interface StarField {
  readonly width: number;
  readonly height: number;
  /** Noisy pixels in electrons: sky + stars with Poisson noise, plus read noise. */
  readonly electrons: Float32Array;
  /** The noiseless expectation λ in electrons (sky + stars). */
  readonly expected: Float32Array;
  readonly sigmaPixels: number;
  readonly skyElectrons: number;
  readonly readNoise: number;
  readonly truth: StarTruth;
}

const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);
/** Half-width of a rendered star in σ: the flux beyond 6σ is below 1e-8 of the total. */
const STAMP_HALF_WIDTH_SIGMAS = 6;

export function renderStarField(options: StarFieldOptions): StarField {
  validate(options);
  const { width, height, skyElectrons, readNoise } = options;
  const sigma = options.fwhmPixels / FWHM_PER_SIGMA;
  const random = seededRandom(options.seed);
  const truth = drawStars(options, sigma, random.uniform);
  const expected = new Float32Array(width * height).fill(skyElectrons);
  addStars(expected, width, height, truth, sigma);
  const electrons = new Float32Array(width * height);
  for (let i = 0; i < electrons.length; i++) {
    electrons[i] = random.poisson(expected[i] as number) + readNoise * random.normal();
  }
  return { width, height, electrons, expected, sigmaPixels: sigma, skyElectrons, readNoise, truth };
}

function validate(options: StarFieldOptions): void {
  const { width, height, starCount, faintestFlux, brightestFlux, fwhmPixels } = options;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`star field shape ${width}×${height} must be positive integers`);
  }
  if (!(Number.isInteger(starCount) && starCount >= 0)) {
    throw new RangeError(`starCount ${starCount} must be a non-negative integer`);
  }
  if (!(faintestFlux > 0 && brightestFlux >= faintestFlux)) {
    throw new RangeError(
      `fluxes must satisfy 0 < faintestFlux (${faintestFlux}) ≤ brightestFlux (${brightestFlux})`,
    );
  }
  if (!(fwhmPixels > 0) || !(options.skyElectrons >= 0) || !(options.readNoise >= 0)) {
    throw new RangeError('fwhmPixels must be positive; skyElectrons and readNoise must not be negative');
  }
  const margin = options.marginPixels ?? 0;
  if (!(margin >= 0 && 2 * margin < Math.min(width, height))) {
    throw new RangeError(`marginPixels ${margin} leaves no room in a ${width}×${height} field`);
  }
}

/** Magnitudes by inverting the cumulative power law, then positions, uniformly. */
function drawStars(options: StarFieldOptions, sigma: number, uniform: () => number): StarTruth {
  const n = options.starCount;
  const slope = options.countSlope ?? 0.3;
  const margin = options.marginPixels ?? 0;
  const mBright = -2.5 * Math.log10(options.brightestFlux);
  const mFaint = -2.5 * Math.log10(options.faintestFlux);
  const cBright = 10 ** (slope * mBright);
  const cFaint = 10 ** (slope * mFaint);
  const backgroundVariance = options.skyElectrons + options.readNoise ** 2;
  const nEff = 4 * Math.PI * sigma * sigma;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const flux = new Float64Array(n);
  const snr = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const m = Math.log10(cBright + uniform() * (cFaint - cBright)) / slope;
    const f = 10 ** (-0.4 * m);
    flux[k] = f;
    x[k] = margin - 0.5 + uniform() * (options.width - 2 * margin);
    y[k] = margin - 0.5 + uniform() * (options.height - 2 * margin);
    snr[k] = f / Math.sqrt(f + backgroundVariance * nEff);
  }
  return { x, y, flux, snr };
}

/** Adds each star's pixel-integrated profile: one row and one column of erf differences per star. */
export function addStars(
  image: Float32Array,
  width: number,
  height: number,
  truth: Pick<StarTruth, 'x' | 'y' | 'flux'>,
  sigma: number,
): void {
  const half = Math.ceil(STAMP_HALF_WIDTH_SIGMAS * sigma);
  const px = new Float64Array(2 * half + 1);
  const py = new Float64Array(2 * half + 1);
  for (let k = 0; k < truth.flux.length; k++) {
    const x0 = truth.x[k] as number;
    const y0 = truth.y[k] as number;
    const f = truth.flux[k] as number;
    const firstX = Math.round(x0) - half;
    const firstY = Math.round(y0) - half;
    pixelIntegratedGaussian(x0, sigma, firstX, px);
    pixelIntegratedGaussian(y0, sigma, firstY, py);
    for (let j = 0; j < py.length; j++) {
      const row = firstY + j;
      if (row < 0 || row >= height) continue;
      const fy = f * (py[j] as number);
      const offset = row * width;
      for (let i = 0; i < px.length; i++) {
        const col = firstX + i;
        if (col < 0 || col >= width) continue;
        image[offset + col] = (image[offset + col] as number) + fy * (px[i] as number);
      }
    }
  }
}
