// Per-source measurement at a detected peak: a Gaussian-windowed centroid (SExtractor's XWIN scheme,
// with the PSF's σ as window — the maximum-likelihood position for a Gaussian PSF on a flat sky), the
// PSF flux (linear fit of the PSF model's amplitude), a circular aperture flux, their errors from the
// variance plane, and pixel flags. Scratch arrays are allocated once per image, not per source.

import { MaskBit } from '../image/mask-bits';
import type { MaskedImage } from '../image/masked-image';
import { type GaussianPsf, psfEvaluator, psfSigma } from './psf-model';
import { type SourceCatalog, SourceFlag } from './source-catalog';

export interface MeasurementOptions {
  /** Aperture radius in pixels. */
  readonly apertureRadius: number;
  /** Centroid iterations at most. */
  readonly maxCentroidIterations: number;
  /** A centroid that wanders farther than this from its peak (pixels) is a failure. */
  readonly maxCentroidShift: number;
}

/** Pixels that carry no usable signal for the PSF fit. */
const UNUSABLE = MaskBit.BAD | MaskBit.NO_DATA | MaskBit.SAT;
const CENTROID_TOLERANCE = 1e-4;

export interface SourceMeasurer {
  /** Fills row `row` of `catalog` for a source whose peak pixel is (peakX, peakY). */
  measure(catalog: SourceCatalog, row: number, peakX: number, peakY: number): void;
}

export function sourceMeasurer(
  exposure: MaskedImage,
  psf: GaussianPsf,
  options: MeasurementOptions,
): SourceMeasurer {
  const { width, height, image, variance, mask } = exposure;
  const sigma = psfSigma(psf);
  const windowHalf = Math.ceil(4 * sigma);
  const psfHalf = Math.ceil(4 * Math.sqrt(Math.max(psf.ixx, psf.iyy)));
  const wx = new Float64Array(2 * windowHalf + 1);
  const wy = new Float64Array(2 * windowHalf + 1);
  const model = psfEvaluator(psf);
  const inverseTwoSigma2 = 1 / (2 * sigma * sigma);

  function measure(catalog: SourceCatalog, row: number, peakX: number, peakY: number): void {
    let flags = 0;
    let xc = peakX;
    let yc = peakY;
    let sumWI = 0;
    let converged = false;
    const x0 = peakX - windowHalf;
    const y0 = peakY - windowHalf;
    for (let iteration = 0; iteration < options.maxCentroidIterations; iteration++) {
      fillWindow(wx, x0, xc);
      fillWindow(wy, y0, yc);
      sumWI = 0;
      let sumWIdx = 0;
      let sumWIdy = 0;
      for (let j = 0; j < wy.length; j++) {
        const y = y0 + j;
        if (y < 0 || y >= height) continue;
        const dy = y - yc;
        for (let i = 0; i < wx.length; i++) {
          const x = x0 + i;
          if (x < 0 || x >= width) continue;
          const wi = (wx[i] as number) * (wy[j] as number) * (image[y * width + x] as number);
          sumWI += wi;
          sumWIdx += wi * (x - xc);
          sumWIdy += wi * dy;
        }
      }
      if (!(sumWI > 0)) break;
      const sx = (2 * sumWIdx) / sumWI;
      const sy = (2 * sumWIdy) / sumWI;
      xc += sx;
      yc += sy;
      if (Math.abs(xc - peakX) > options.maxCentroidShift || Math.abs(yc - peakY) > options.maxCentroidShift)
        break;
      if (Math.abs(sx) < CENTROID_TOLERANCE && Math.abs(sy) < CENTROID_TOLERANCE) {
        converged = true;
        break;
      }
    }
    if (!converged) {
      flags |= SourceFlag.CENTROID_FAILED;
      xc = peakX;
      yc = peakY;
    }
    catalog.x[row] = xc;
    catalog.y[row] = yc;
    centroidErrors(catalog, row, xc, yc, x0, y0, converged ? sumWI : Number.NaN);
    flags |= psfFlux(catalog, row, xc, yc);
    flags |= apertureFlux(catalog, row, xc, yc);
    flags |= centerSaturation(Math.round(xc), Math.round(yc));
    catalog.flags[row] = (catalog.flags[row] as number) | flags;
    const error = catalog.psfFluxErr[row] as number;
    catalog.snr[row] = error > 0 ? (catalog.psfFlux[row] as number) / error : 0;
  }

  function fillWindow(weights: Float64Array, first: number, center: number): void {
    for (let i = 0; i < weights.length; i++) {
      const d = first + i - center;
      weights[i] = Math.exp(-d * d * inverseTwoSigma2);
    }
  }

  /** σ_x² = 4 Σ w² V dx² / (Σ w I)², the windowed centroid's propagated variance. */
  function centroidErrors(
    catalog: SourceCatalog,
    row: number,
    xc: number,
    yc: number,
    x0: number,
    y0: number,
    sumWI: number,
  ): void {
    fillWindow(wx, x0, xc);
    fillWindow(wy, y0, yc);
    let sxx = 0;
    let syy = 0;
    for (let j = 0; j < wy.length; j++) {
      const y = y0 + j;
      if (y < 0 || y >= height) continue;
      const dy = y - yc;
      for (let i = 0; i < wx.length; i++) {
        const x = x0 + i;
        if (x < 0 || x >= width) continue;
        const w = (wx[i] as number) * (wy[j] as number);
        const wwv = w * w * (variance[y * width + x] as number);
        const dx = x - xc;
        sxx += wwv * dx * dx;
        syy += wwv * dy * dy;
      }
    }
    catalog.xErr[row] = Number.isFinite(sumWI) ? (2 * Math.sqrt(sxx)) / sumWI : Number.NaN;
    catalog.yErr[row] = Number.isFinite(sumWI) ? (2 * Math.sqrt(syy)) / sumWI : Number.NaN;
  }

  /** Amplitude of the unit-flux PSF at (xc, yc): F = Σ P·I / Σ P², Var F = Σ P²·V / (Σ P²)². */
  function psfFlux(catalog: SourceCatalog, row: number, xc: number, yc: number): number {
    const cx = Math.round(xc);
    const cy = Math.round(yc);
    let sumPI = 0;
    let sumPP = 0;
    let sumPPV = 0;
    let flags = 0;
    for (let y = cy - psfHalf; y <= cy + psfHalf; y++) {
      if (y < 0 || y >= height) {
        flags |= SourceFlag.EDGE;
        continue;
      }
      const dy = y - yc;
      for (let x = cx - psfHalf; x <= cx + psfHalf; x++) {
        if (x < 0 || x >= width) {
          flags |= SourceFlag.EDGE;
          continue;
        }
        const i = y * width + x;
        if (((mask[i] as number) & UNUSABLE) !== 0) continue;
        const dx = x - xc;
        const p =
          model.norm * Math.exp(-0.5 * (model.a * dx * dx + 2 * model.b * dx * dy + model.c * dy * dy));
        const pp = p * p;
        sumPI += p * (image[i] as number);
        sumPP += pp;
        sumPPV += pp * (variance[i] as number);
      }
    }
    catalog.psfFlux[row] = sumPP > 0 ? sumPI / sumPP : Number.NaN;
    catalog.psfFluxErr[row] = sumPP > 0 ? Math.sqrt(sumPPV) / sumPP : Number.NaN;
    return flags;
  }

  /** Sum over pixels whose centres lie within the aperture radius; error from the variance plane. */
  function apertureFlux(catalog: SourceCatalog, row: number, xc: number, yc: number): number {
    const r = options.apertureRadius;
    const r2 = r * r;
    let sum = 0;
    let sumVariance = 0;
    let flags = 0;
    for (let y = Math.ceil(yc - r); y <= Math.floor(yc + r); y++) {
      const dy = y - yc;
      for (let x = Math.ceil(xc - r); x <= Math.floor(xc + r); x++) {
        const dx = x - xc;
        if (dx * dx + dy * dy > r2) continue;
        if (x < 0 || x >= width || y < 0 || y >= height) {
          flags |= SourceFlag.EDGE;
          continue;
        }
        const i = y * width + x;
        sum += image[i] as number;
        sumVariance += variance[i] as number;
      }
    }
    catalog.apFlux[row] = sum;
    catalog.apFluxErr[row] = Math.sqrt(sumVariance);
    return flags;
  }

  function centerSaturation(cx: number, cy: number): number {
    for (let y = Math.max(0, cy - 1); y <= Math.min(height - 1, cy + 1); y++) {
      for (let x = Math.max(0, cx - 1); x <= Math.min(width - 1, cx + 1); x++) {
        if (((mask[y * width + x] as number) & MaskBit.SAT) !== 0) return SourceFlag.SATURATED_CENTER;
      }
    }
    return 0;
  }

  return { measure };
}
