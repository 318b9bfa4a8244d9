// detectAndMeasureDiaSources: positive and negative sources on the difference at the threshold,
// measured there and force-photometered on the science and matched template, with sky positions.

import { z } from 'zod';
import { DEFAULT_DIA_DETECTION_OPTIONS, detectDiaSources } from '../../domain/diffim/detect-dia-sources';
import { addSkyPositions } from '../../domain/diffim/dia-source-table';
import { requiredInput, type TaskDeclaration, type TaskRun } from '../engine/task';

const d = DEFAULT_DIA_DETECTION_OPTIONS;

export const detectDiaSourcesConfig = z.strictObject({
  thresholdSigma: z.number().positive().default(d.thresholdSigma),
  minPixels: z.number().int().positive().default(d.minPixels),
  prominenceSigma: z.number().nonnegative().default(d.prominenceSigma),
  dipoleRadiusFwhm: z.number().positive().default(d.dipoleRadiusFwhm),
});

export type DetectDiaSourcesConfig = z.infer<typeof detectDiaSourcesConfig>;

export const detectAndMeasureDiaSourcesTask: TaskDeclaration<DetectDiaSourcesConfig> = {
  name: 'detectAndMeasureDiaSources',
  summary: 'Detect positive and negative DiaSources on the difference image and measure them',
  config: detectDiaSourcesConfig,
  inputs: {
    difference: { storageClass: 'Exposure' },
    science: { storageClass: 'Exposure' },
    matchedTemplate: { storageClass: 'Exposure' },
    psf: { storageClass: 'Psf' },
    sciencePsf: { storageClass: 'Psf' },
    astrometry: { storageClass: 'AstrometricSolution' },
  },
  outputs: { diaSources: { storageClass: 'DataFrame' } },
};

export const runDetectDiaSources: TaskRun<DetectDiaSourcesConfig> = (inputs, config) => {
  const table = detectDiaSources(
    {
      difference: requiredInput(inputs, 'difference', 'Exposure'),
      science: requiredInput(inputs, 'science', 'Exposure'),
      matchedTemplate: requiredInput(inputs, 'matchedTemplate', 'Exposure'),
      differencePsf: requiredInput(inputs, 'psf', 'Psf'),
      sciencePsf: requiredInput(inputs, 'sciencePsf', 'Psf'),
    },
    { ...d, ...config },
  );
  return {
    diaSources: addSkyPositions(table, requiredInput(inputs, 'astrometry', 'AstrometricSolution').wcs),
  };
};
