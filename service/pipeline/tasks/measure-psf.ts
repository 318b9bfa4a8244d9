// measurePsf: a constant elliptical-Gaussian PSF from bright isolated stars of the exposure.

import { z } from 'zod';
import { DEFAULT_PSF_FIT_OPTIONS, fitPsf } from '../../domain/measurement/fit-psf';
import { requiredInput, type TaskDeclaration, type TaskRun } from '../engine/task';

const d = DEFAULT_PSF_FIT_OPTIONS;

export const measurePsfConfig = z.strictObject({
  /** Peak-pixel significance a PSF star must reach. */
  thresholdSigma: z.number().positive().default(d.thresholdSigma),
  /** No other detection within this many pixels. */
  isolationPixels: z.number().positive().default(d.isolationPixels),
  /** First guess of the FWHM in pixels (seeing / pixel scale). */
  initialFwhmPixels: z.number().positive().default(d.initialFwhmPixels),
  minStars: z.number().int().positive().default(d.minStars),
  maxStars: z.number().int().positive().default(d.maxStars),
  clipSigma: z.number().positive().default(d.clipSigma),
});

export type MeasurePsfConfig = z.infer<typeof measurePsfConfig>;

export const measurePsfTask: TaskDeclaration<MeasurePsfConfig> = {
  name: 'measurePsf',
  summary: 'Fit a constant elliptical-Gaussian PSF to the adaptive moments of bright isolated stars',
  config: measurePsfConfig,
  inputs: { exposure: { storageClass: 'Exposure' } },
  outputs: { psf: { storageClass: 'Psf' } },
};

export const runMeasurePsf: TaskRun<MeasurePsfConfig> = (inputs, config) => ({
  psf: fitPsf(requiredInput(inputs, 'exposure', 'Exposure'), config),
});
