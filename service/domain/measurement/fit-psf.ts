// PSF determination: bright, isolated, clean stars are found on the unfiltered image (a star bright
// enough to model stands out without a matched filter), their adaptive moments measured, outliers
// (galaxies, binaries, cosmic rays) clipped, and the mean moments become a constant elliptical
// Gaussian PSF for the detector.

import { MaskBit } from '../image/mask-bits';
import type { MaskedImage } from '../image/masked-image';
import { adaptiveMoments, type Moments } from './adaptive-moments';
import { findFootprints } from './footprints';
import { findPeaks } from './peaks';
import { type GaussianPsf, gaussianPsf } from './psf-model';

export interface PsfFitOptions {
  /** Peak-pixel significance (σ of one pixel) a PSF star must reach. */
  readonly thresholdSigma: number;
  /** A PSF star has no other detected peak within this many pixels. */
  readonly isolationPixels: number;
  /** First guess of the PSF's FWHM, pixels: sets the initial weight and stamp size. */
  readonly initialFwhmPixels: number;
  readonly minStars: number;
  readonly maxStars: number;
  /** Stars whose moment trace is further than this many (robust) σ from the median are dropped. */
  readonly clipSigma: number;
}

export const DEFAULT_PSF_FIT_OPTIONS: PsfFitOptions = {
  thresholdSigma: 20,
  isolationPixels: 15,
  initialFwhmPixels: 4,
  minStars: 5,
  maxStars: 200,
  clipSigma: 3,
};

/** The image did not offer enough good stars to fit a PSF. */
export class PsfFitError extends Error {
  override readonly name = 'PsfFitError';
}

const REJECT = MaskBit.SAT | MaskBit.BAD | MaskBit.NO_DATA | MaskBit.CR | MaskBit.INTRP | MaskBit.SUSPECT;
const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);

export function fitPsf(exposure: MaskedImage, options: PsfFitOptions = DEFAULT_PSF_FIT_OPTIONS): GaussianPsf {
  const { width, height, image, variance, mask } = exposure;
  const sigma0 = options.initialFwhmPixels / FWHM_PER_SIGMA;
  const half = Math.ceil(5 * sigma0);
  const footprints = findFootprints(image, variance, mask, width, height, {
    thresholdSigma: options.thresholdSigma,
    noiseFactor: 1,
    border: half + 1,
    minPixels: 1,
    excludeMask: MaskBit.NO_DATA,
  });
  const peaks = findPeaks(image, variance, width, footprints, {
    prominenceSigma: 5,
    noiseFactor: 1,
    maxPeaksPerFootprint: 10,
  });
  const isolated = isolatedPeaks(peaks.x, peaks.y, options.isolationPixels);
  const order = Array.from(isolated).sort((p, q) => (peaks.value[q] as number) - (peaks.value[p] as number));
  const moments: Moments[] = [];
  for (const k of order) {
    if (moments.length >= options.maxStars) break;
    const x = peaks.x[k] as number;
    const y = peaks.y[k] as number;
    if ((peaks.peaksInFootprint[peaks.footprint[k] as number] as number) > 1) continue;
    if (stampHasMask(mask, width, x, y, half)) continue;
    const m = adaptiveMoments(image, width, height, x, y, sigma0 * sigma0, half);
    if (m !== undefined) moments.push(m);
  }
  const kept = clipByTrace(moments, options.clipSigma);
  if (kept.length < options.minStars) {
    throw new PsfFitError(
      `only ${kept.length} usable PSF stars (of ${footprints.count} footprints above ${options.thresholdSigma}σ), ` +
        `need ${options.minStars}: lower thresholdSigma or minStars, or check the exposure's background and masks`,
    );
  }
  let ixx = 0;
  let iyy = 0;
  let ixy = 0;
  for (const m of kept) {
    ixx += m.ixx;
    iyy += m.iyy;
    ixy += m.ixy;
  }
  return gaussianPsf(ixx / kept.length, iyy / kept.length, ixy / kept.length, kept.length);
}

/** Indices of peaks with no other peak within `radius`: a grid of radius-sized cells. */
function isolatedPeaks(x: Int32Array, y: Int32Array, radius: number): number[] {
  const cells = new Map<string, number[]>();
  for (let k = 0; k < x.length; k++) {
    const key = `${Math.floor((x[k] as number) / radius)},${Math.floor((y[k] as number) / radius)}`;
    const list = cells.get(key);
    if (list) list.push(k);
    else cells.set(key, [k]);
  }
  const out: number[] = [];
  const r2 = radius * radius;
  for (let k = 0; k < x.length; k++) {
    const cx = Math.floor((x[k] as number) / radius);
    const cy = Math.floor((y[k] as number) / radius);
    let alone = true;
    for (let i = cx - 1; i <= cx + 1 && alone; i++) {
      for (let j = cy - 1; j <= cy + 1 && alone; j++) {
        for (const other of cells.get(`${i},${j}`) ?? []) {
          if (other === k) continue;
          const dx = (x[other] as number) - (x[k] as number);
          const dy = (y[other] as number) - (y[k] as number);
          if (dx * dx + dy * dy < r2) alone = false;
        }
      }
    }
    if (alone) out.push(k);
  }
  return out;
}

function stampHasMask(mask: Uint16Array, width: number, x: number, y: number, half: number): boolean {
  for (let j = y - half; j <= y + half; j++) {
    for (let i = x - half; i <= x + half; i++)
      if (((mask[j * width + i] as number) & REJECT) !== 0) return true;
  }
  return false;
}

/** Keeps stars whose ixx+iyy is within clipSigma robust σ (1.4826·MAD) of the median. */
function clipByTrace(moments: Moments[], clipSigma: number): Moments[] {
  if (moments.length < 3) return moments;
  const traces = moments.map((m) => m.ixx + m.iyy);
  const median = medianOf(traces);
  const mad = medianOf(traces.map((t) => Math.abs(t - median)));
  const limit = clipSigma * Math.max(1.4826 * mad, 1e-6 * median);
  return moments.filter((_, i) => Math.abs((traces[i] as number) - median) <= limit);
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
