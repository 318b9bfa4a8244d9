// getTemplate: the template coadd resampled onto the science detector's pixel grid through the coadd's
// header WCS and the science's fitted WCS. A coadd that covers too little of the detector is a
// missing template, reported as such (the service then falls back to a pipeline without differencing).

import { z } from 'zod';
import { DEFAULT_WARP_OPTIONS, warpExposure } from '../../domain/diffim/warp-exposure';
import { tanWcsFromHeader } from '../../domain/wcs/tan-wcs';
import type { Exposure } from '../engine/storage-classes';
import { requiredInput, type TaskDeclaration, type TaskRun } from '../engine/task';

export const getTemplateConfig = z.strictObject({
  lanczosOrder: z.number().int().min(1).max(5).default(DEFAULT_WARP_OPTIONS.lanczosOrder),
  /** Exact WCS transforms every this many pixels, bilinear in between. */
  gridSpacing: z.number().int().positive().default(DEFAULT_WARP_OPTIONS.gridSpacing),
  /** Smallest fraction of the detector the template must cover. */
  minCoverage: z.number().min(0).max(1).default(0.5),
});

export type GetTemplateConfig = z.infer<typeof getTemplateConfig>;

export class TemplateCoverageError extends Error {
  override readonly name = 'TemplateCoverageError';
}

export const getTemplateTask: TaskDeclaration<GetTemplateConfig> = {
  name: 'getTemplate',
  summary: "Warp the template coadd onto the detector's pixel grid (Lanczos, variance and mask propagated)",
  config: getTemplateConfig,
  inputs: {
    coaddExposures: { storageClass: 'Exposure' },
    exposure: { storageClass: 'Exposure' },
    astrometry: { storageClass: 'AstrometricSolution' },
  },
  outputs: { template: { storageClass: 'Exposure' } },
};

export const runGetTemplate: TaskRun<GetTemplateConfig> = (inputs, config) => {
  const coadd = requiredInput(inputs, 'coaddExposures', 'Exposure');
  const exposure = requiredInput(inputs, 'exposure', 'Exposure');
  const astrometry = requiredInput(inputs, 'astrometry', 'AstrometricSolution');
  const warped = warpExposure(
    coadd,
    tanWcsFromHeader(coadd.metadata),
    astrometry.wcs,
    exposure.width,
    exposure.height,
    config,
  );
  if (warped.coverage < config.minCoverage) {
    throw new TemplateCoverageError(
      `the template coadd covers ${(100 * warped.coverage).toFixed(1)}% of the detector, below minCoverage ` +
        `${100 * config.minCoverage}%: treat the template as missing (run SingleFrame) or provide the overlapping patches`,
    );
  }
  const template: Exposure = { ...warped, metadata: exposure.metadata };
  return { template };
};
