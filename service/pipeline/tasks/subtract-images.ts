// subtractImages: PSF-matched difference science − template (Alard–Lupton kernel, first-order spatial
// variation), the matched template it subtracted, and the difference image's PSF.

import { z } from 'zod';
import { DEFAULT_SUBTRACTION_OPTIONS, subtractImages } from '../../domain/diffim/subtract-images';
import { requiredInput, type TaskDeclaration, type TaskRun } from '../engine/task';

const d = DEFAULT_SUBTRACTION_OPTIONS;

export const subtractImagesConfig = z.strictObject({
  stampMinSnr: z.number().positive().default(d.stampMinSnr),
  stampIsolationPixels: z.number().positive().default(d.stampIsolationPixels),
  maxStamps: z.number().int().positive().default(d.maxStamps),
  minStamps: z.number().int().positive().default(d.fit.minStamps),
  basisSigmaFactors: z
    .array(z.number().positive())
    .min(1)
    .default([...d.basisSigmaFactors]),
  basisDegrees: z
    .array(z.number().int().nonnegative())
    .min(1)
    .default([...d.basisDegrees]),
  /** The kernel is evaluated once per cell of this side, pixels. */
  cellSize: z.number().int().positive().default(d.convolution.cellSize),
});

export type SubtractImagesConfig = z.infer<typeof subtractImagesConfig>;

export const subtractImagesTask: TaskDeclaration<SubtractImagesConfig> = {
  name: 'subtractImages',
  summary: 'PSF-matched image subtraction, science − template, with propagated variance and masks',
  config: subtractImagesConfig,
  inputs: {
    science: { storageClass: 'Exposure' },
    template: { storageClass: 'Exposure' },
    sources: { storageClass: 'SourceCatalog' },
  },
  outputs: {
    difference: { storageClass: 'Exposure' },
    matchedTemplate: { storageClass: 'Exposure' },
    psf: { storageClass: 'Psf' },
  },
};

export const runSubtractImages: TaskRun<SubtractImagesConfig> = (inputs, config) => {
  const science = requiredInput(inputs, 'science', 'Exposure');
  const template = requiredInput(inputs, 'template', 'Exposure');
  const sources = requiredInput(inputs, 'sources', 'SourceCatalog');
  if (config.basisSigmaFactors.length !== config.basisDegrees.length) {
    throw new RangeError(
      'basisSigmaFactors and basisDegrees need one entry per Gaussian: make their lengths equal',
    );
  }
  const result = subtractImages(science, template, sources, {
    ...d,
    stampMinSnr: config.stampMinSnr,
    stampIsolationPixels: config.stampIsolationPixels,
    maxStamps: config.maxStamps,
    basisSigmaFactors: config.basisSigmaFactors,
    basisDegrees: config.basisDegrees,
    fit: { ...d.fit, minStamps: config.minStamps },
    convolution: { ...d.convolution, cellSize: config.cellSize },
  });
  return {
    difference: { ...result.difference, metadata: science.metadata },
    matchedTemplate: { ...result.matchedTemplate, metadata: science.metadata },
    psf: result.differencePsf,
  };
};
