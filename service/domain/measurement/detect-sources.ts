// Source detection and measurement on a background-subtracted image: matched filter (the PSF's
// circular Gaussian), threshold in σ from the variance plane, footprints, peaks with deblending of
// close pairs, then centroids, PSF and aperture fluxes, SNR and flags for every kept peak.

import { MaskBit } from '../image/mask-bits';
import type { MaskedImage } from '../image/masked-image';
import { measureFootprintFlags } from './footprint-flags';
import { type Footprints, findFootprints } from './footprints';
import { findHiddenPeaks } from './hidden-peaks';
import { type MeasurementOptions, sourceMeasurer } from './measure-sources';
import { findPeaks } from './peaks';
import { type GaussianPsf, psfFwhm, psfSigma } from './psf-model';
import { convolveSeparable, gaussianKernel, separableNoiseFactor } from './separable-filter';
import { concatSourceCatalogs, emptySourceCatalog, type SourceCatalog, SourceFlag } from './source-catalog';
import { subtractPsfModels } from './subtract-psf-models';

export interface DetectionOptions {
  /** ν: pixels of the matched-filtered image above ν·σ (σ from the variance plane) are detected. */
  readonly thresholdSigma: number;
  /** Footprints with fewer pixels are dropped. */
  readonly minPixels: number;
  /** Dip in σ that separates two peaks of one footprint into two sources. */
  readonly prominenceSigma: number;
  readonly maxPeaksPerFootprint: number;
  /** Aperture radius in units of the PSF's FWHM. */
  readonly apertureRadiusFwhm: number;
  /** The filter kernel is cut at this many σ. */
  readonly kernelTruncationSigmas: number;
  /**
   * Fractional error assumed for the PSF models subtracted in the second (hidden-star) pass; 0 turns
   * the pass off.
   */
  readonly modelError: number;
  /** A second-pass peak must be this far (in FWHM) from every first-pass source. */
  readonly minSeparationFwhm: number;
}

export const DEFAULT_DETECTION_OPTIONS: DetectionOptions = {
  thresholdSigma: 5,
  minPixels: 3,
  prominenceSigma: 3,
  maxPeaksPerFootprint: 50,
  apertureRadiusFwhm: 1.5,
  kernelTruncationSigmas: 3.5,
  modelError: 0.03,
  minSeparationFwhm: 0.75,
};

export interface Detection {
  readonly sources: SourceCatalog;
  readonly footprints: Footprints;
  /** The filter's unseen border, pixels. */
  readonly border: number;
  /** Σk² of the matched filter (its output variance per unit input variance). */
  readonly noiseFactor: number;
}

/** The exposure's image through the matched filter `detectSources` thresholds. */
export function matchedFilter(
  exposure: MaskedImage,
  psf: GaussianPsf,
  options: DetectionOptions = DEFAULT_DETECTION_OPTIONS,
): Float32Array {
  const kernel = gaussianKernel(psfSigma(psf), options.kernelTruncationSigmas);
  return convolveSeparable(finitePixels(exposure.image), exposure.width, exposure.height, kernel);
}

/**
 * `filtered`, when given, is `matchedFilter(exposure, psf, options)` computed by the caller (difference
 * imaging filters once and detects both signs from it).
 */
export function detectSources(
  exposure: MaskedImage,
  psf: GaussianPsf,
  options: DetectionOptions = DEFAULT_DETECTION_OPTIONS,
  filtered: Float32Array = matchedFilter(exposure, psf, options),
): Detection {
  const { width, height } = exposure;
  const kernel = gaussianKernel(psfSigma(psf), options.kernelTruncationSigmas);
  const border = (kernel.length - 1) / 2;
  const noiseFactor = separableNoiseFactor(kernel);
  const footprints = findFootprints(filtered, exposure.variance, exposure.mask, width, height, {
    thresholdSigma: options.thresholdSigma,
    noiseFactor,
    border,
    minPixels: options.minPixels,
    excludeMask: MaskBit.NO_DATA,
  });
  const peaks = findPeaks(filtered, exposure.variance, width, footprints, {
    prominenceSigma: options.prominenceSigma,
    noiseFactor,
    maxPeaksPerFootprint: options.maxPeaksPerFootprint,
  });
  const pass: Pass = {
    exposure,
    psf,
    options,
    filtered,
    footprints,
    noiseFactor,
    footprintFlags: measureFootprintFlags(exposure, footprints, border),
    measurement: {
      apertureRadius: options.apertureRadiusFwhm * psfFwhm(psf),
      maxCentroidIterations: 20,
      maxCentroidShift: 2,
    },
  };
  const first = emptySourceCatalog(peaks.count);
  const measurer = sourceMeasurer(exposure, psf, pass.measurement);
  for (let k = 0; k < peaks.count; k++) {
    const f = peaks.footprint[k] as number;
    const x = peaks.x[k] as number;
    const y = peaks.y[k] as number;
    describePeak(pass, first, k, f, peaks.peaksInFootprint[f] as number, x, y);
    measurer.measure(first, k, x, y);
  }
  const sources = options.modelError > 0 ? addHiddenSources(pass, first, peaks.peaksInFootprint) : first;
  return { sources, footprints, border, noiseFactor };
}

/** What both detection passes share. */
interface Pass {
  readonly exposure: MaskedImage;
  readonly psf: GaussianPsf;
  readonly options: DetectionOptions;
  readonly filtered: Float32Array;
  readonly footprints: Footprints;
  readonly noiseFactor: number;
  readonly footprintFlags: Uint32Array;
  readonly measurement: MeasurementOptions;
}

/** NaN or infinite pixels would spread over the whole kernel: the filter sees zeros instead. */
function finitePixels(image: Float32Array): Float32Array {
  let copy: Float32Array | undefined;
  for (let i = 0; i < image.length; i++) {
    if (Number.isFinite(image[i] as number)) continue;
    copy ??= image.slice();
    copy[i] = 0;
  }
  return copy ?? image;
}

function describePeak(
  pass: Pass,
  catalog: SourceCatalog,
  row: number,
  footprint: number,
  peakCount: number,
  x: number,
  y: number,
): void {
  const i = y * pass.exposure.width + x;
  catalog.parent[row] = footprint;
  catalog.peakCount[row] = peakCount;
  catalog.footprintPixels[row] = pass.footprints.pixelCount[footprint] as number;
  catalog.significance[row] =
    (pass.filtered[i] as number) / Math.sqrt(pass.noiseFactor * (pass.exposure.variance[i] as number));
  catalog.flags[row] = (pass.footprintFlags[footprint] as number) | (peakCount > 1 ? SourceFlag.BLENDED : 0);
}

/** Second pass: stars hidden in brighter neighbours' wings, measured with those neighbours subtracted. */
function addHiddenSources(pass: Pass, first: SourceCatalog, peaksInFootprint: Int32Array): SourceCatalog {
  const { exposure, psf, options } = pass;
  const { width, height } = exposure;
  if (first.count === 0) return first;
  const hidden = findHiddenPeaks(
    pass.filtered,
    new Float32Array(width * height),
    exposure.variance,
    width,
    height,
    pass.footprints,
    first,
    psf,
    {
      thresholdSigma: options.thresholdSigma,
      noiseFactor: pass.noiseFactor,
      kernelSigma: psfSigma(psf),
      modelError: options.modelError,
      minSeparation: options.minSeparationFwhm * psfFwhm(psf),
    },
  );
  if (hidden.x.length === 0) return first;
  const added = new Map<number, number>();
  for (const f of hidden.footprint) added.set(f, (added.get(f) ?? 0) + 1);
  const residual = subtractPsfModels(exposure, first, psf, added);
  const extra = emptySourceCatalog(hidden.x.length);
  const measurer = sourceMeasurer(residual, psf, pass.measurement);
  for (let k = 0; k < hidden.x.length; k++) {
    const f = hidden.footprint[k] as number;
    const x = hidden.x[k] as number;
    const y = hidden.y[k] as number;
    describePeak(pass, extra, k, f, (peaksInFootprint[f] as number) + (added.get(f) ?? 0), x, y);
    measurer.measure(extra, k, x, y);
  }
  for (let s = 0; s < first.count; s++) {
    const count = added.get(first.parent[s] as number);
    if (count === undefined) continue;
    first.peakCount[s] = (first.peakCount[s] as number) + count;
    first.flags[s] = (first.flags[s] as number) | SourceFlag.BLENDED;
  }
  return concatSourceCatalogs(first, extra);
}
