// getTemplate: the template coadd patches overlapping the detector (all of them, from every tract the
// local repo holds) resampled onto the science detector's pixel grid through each coadd's header WCS
// and the science's fitted WCS, and merged. Templates that cover too little of the detector are a
// missing template, reported as such (the service then falls back to a pipeline without differencing).

import { z } from 'zod';
import { templateMosaic } from '../../domain/diffim/template-mosaic';
import { DEFAULT_WARP_OPTIONS } from '../../domain/diffim/warp-exposure';
import { tanWcsFromHeader } from '../../domain/wcs/tan-wcs';
import type { Exposure } from '../engine/storage-classes';
import { hasStorageClass } from '../engine/storage-classes';
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
    coaddExposures: { storageClass: 'Exposure', multiple: true },
    exposure: { storageClass: 'Exposure' },
    astrometry: { storageClass: 'AstrometricSolution' },
  },
  outputs: { template: { storageClass: 'Exposure' } },
};

export const runGetTemplate: TaskRun<GetTemplateConfig> = (inputs, config) => {
  const coadds = coaddsOf(inputs.get('coaddExposures'));
  const exposure = requiredInput(inputs, 'exposure', 'Exposure');
  const astrometry = requiredInput(inputs, 'astrometry', 'AstrometricSolution');
  const warped = templateMosaic(
    coadds.map((coadd) => ({ image: coadd, wcs: tanWcsFromHeader(coadd.metadata) })),
    astrometry.wcs,
    exposure.width,
    exposure.height,
    config,
  );
  if (warped.coverage < config.minCoverage) {
    throw new TemplateCoverageError(
      `the template (${coadds.length} coadd patch(es)) covers ${(100 * warped.coverage).toFixed(1)}% of the detector, ` +
        `below minCoverage ${100 * config.minCoverage}%: treat the template as missing (run SingleFrame) or provide the overlapping patches`,
    );
  }
  const template: Exposure = { ...warped, metadata: exposure.metadata };
  return { template };
};

/** The coadd patches the engine found (an array, as the connection is `multiple`). */
function coaddsOf(value: unknown): Exposure[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((v) => hasStorageClass(v, 'Exposure'))) {
    throw new TypeError('input coaddExposures is missing or is not a list of Exposures');
  }
  return list as Exposure[];
}
