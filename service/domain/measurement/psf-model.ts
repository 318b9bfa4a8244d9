// The PSF model measurement uses: an elliptical Gaussian given by its second moments, constant over
// the detector. Moments are those of the pixelated star (they include the pixel's own 1/12 px²), so
// sampling the Gaussian at pixel centres reproduces the observed profile.

export interface GaussianPsf {
  readonly kind: 'gaussian';
  /** Second moments in pixels²: ⟨dx²⟩, ⟨dy²⟩, ⟨dx·dy⟩. */
  readonly ixx: number;
  readonly iyy: number;
  readonly ixy: number;
  /** How many stars the moments came from (0 for a model set by hand). */
  readonly starCount: number;
}

const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);

export function gaussianPsf(ixx: number, iyy: number, ixy: number, starCount = 0): GaussianPsf {
  if (!(ixx > 0 && iyy > 0 && ixx * iyy - ixy * ixy > 0)) {
    throw new RangeError(`PSF moments ixx=${ixx}, iyy=${iyy}, ixy=${ixy} are not a positive-definite matrix`);
  }
  return { kind: 'gaussian', ixx, iyy, ixy, starCount };
}

/** A circular PSF of the given FWHM in pixels. */
export function circularPsf(fwhmPixels: number): GaussianPsf {
  const sigma = fwhmPixels / FWHM_PER_SIGMA;
  return gaussianPsf(sigma * sigma, sigma * sigma, 0);
}

/** σ of the circular Gaussian with the same determinant: the width the matched filter uses. */
export function psfSigma(psf: GaussianPsf): number {
  return Math.sqrt(Math.sqrt(psf.ixx * psf.iyy - psf.ixy * psf.ixy));
}

export function psfFwhm(psf: GaussianPsf): number {
  return psfSigma(psf) * FWHM_PER_SIGMA;
}

/** Coefficients of the unit-flux profile p(dx,dy) = norm·exp(−(a·dx² + 2b·dx·dy + c·dy²)/2). */
export interface PsfEvaluator {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly norm: number;
}

export function psfEvaluator(psf: GaussianPsf): PsfEvaluator {
  const det = psf.ixx * psf.iyy - psf.ixy * psf.ixy;
  return { a: psf.iyy / det, b: -psf.ixy / det, c: psf.ixx / det, norm: 1 / (2 * Math.PI * Math.sqrt(det)) };
}
