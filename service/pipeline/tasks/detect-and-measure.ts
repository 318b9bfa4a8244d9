// detectAndMeasure: matched-filter detection and single-frame measurement with the fitted PSF.

import { z } from 'zod';
import { DEFAULT_DETECTION_OPTIONS, detectSources } from '../../domain/measurement/detect-sources';
import { requiredInput, type TaskDeclaration, type TaskRun } from '../engine/task';

const d = DEFAULT_DETECTION_OPTIONS;

export const detectAndMeasureConfig = z.strictObject({
  /** Detection threshold in σ of the matched-filtered image. */
  thresholdSigma: z.number().positive().default(d.thresholdSigma),
  minPixels: z.number().int().positive().default(d.minPixels),
  /** Dip (σ) that splits two peaks of a footprint into two sources. */
  prominenceSigma: z.number().nonnegative().default(d.prominenceSigma),
  maxPeaksPerFootprint: z.number().int().positive().default(d.maxPeaksPerFootprint),
  apertureRadiusFwhm: z.number().positive().default(d.apertureRadiusFwhm),
  kernelTruncationSigmas: z.number().positive().default(d.kernelTruncationSigmas),
  /** Fractional PSF-model error for the second (hidden-star) pass; 0 turns it off. */
  modelError: z.number().nonnegative().default(d.modelError),
  minSeparationFwhm: z.number().positive().default(d.minSeparationFwhm),
});

export type DetectAndMeasureConfig = z.infer<typeof detectAndMeasureConfig>;

export const detectAndMeasureTask: TaskDeclaration<DetectAndMeasureConfig> = {
  name: 'detectAndMeasure',
  summary:
    'Detect sources above a σ threshold of the PSF-filtered image; centroids, PSF and aperture fluxes, flags',
  config: detectAndMeasureConfig,
  inputs: { exposure: { storageClass: 'Exposure' }, psf: { storageClass: 'Psf' } },
  outputs: { sources: { storageClass: 'SourceCatalog' } },
};

export const runDetectAndMeasure: TaskRun<DetectAndMeasureConfig> = (inputs, config) => {
  const exposure = requiredInput(inputs, 'exposure', 'Exposure');
  const psf = requiredInput(inputs, 'psf', 'Psf');
  return { sources: detectSources(exposure, psf, config).sources };
};
