// fitAstrometry: the header's TAN WCS, refined against the reference catalog when the repository has
// one (otherwise, or when matching fails, the header WCS flagged as such), and sky coordinates for
// every source.

import { z } from 'zod';
import { type SourceCatalog, SourceFlag } from '../../domain/measurement/source-catalog';
import {
  type AstrometricSolution,
  DEFAULT_WCS_REFINEMENT_OPTIONS,
  refineWcs,
} from '../../domain/wcs/refine-wcs';
import { pixelToSky, tanWcsFromHeader } from '../../domain/wcs/tan-wcs';
import { optionalInput, requiredInput, type TaskDeclaration, type TaskRun } from '../engine/task';

const d = DEFAULT_WCS_REFINEMENT_OPTIONS;

export const fitAstrometryConfig = z.strictObject({
  /** Sources used for matching: clean, at least this SNR, brightest first. */
  minSnr: z.number().positive().default(10),
  maxSources: z.number().int().positive().default(1000),
  searchRadiusPixels: z.number().positive().default(d.searchRadiusPixels),
  matchRadiusPixels: z.number().positive().default(d.matchRadiusPixels),
  minMatches: z.number().int().min(3).default(d.minMatches),
  clipSigma: z.number().positive().default(d.clipSigma),
  iterations: z.number().int().positive().default(d.iterations),
  maxRmsPixels: z.number().positive().default(d.maxRmsPixels),
});

export type FitAstrometryConfig = z.infer<typeof fitAstrometryConfig>;

export const fitAstrometryTask: TaskDeclaration<FitAstrometryConfig> = {
  name: 'fitAstrometry',
  summary: 'TAN WCS from the header, refined on a reference catalog when present; RA/Dec for every source',
  config: fitAstrometryConfig,
  inputs: {
    exposure: { storageClass: 'Exposure' },
    sources: { storageClass: 'SourceCatalog' },
    referenceCatalog: { storageClass: 'ReferenceCatalog', optional: true },
  },
  outputs: {
    astrometry: { storageClass: 'AstrometricSolution' },
    sources: { storageClass: 'SourceCatalog' },
  },
};

const UNMATCHABLE =
  SourceFlag.EDGE | SourceFlag.SATURATED | SourceFlag.BAD | SourceFlag.CENTROID_FAILED | SourceFlag.BLENDED;

export const runFitAstrometry: TaskRun<FitAstrometryConfig> = (inputs, config) => {
  const exposure = requiredInput(inputs, 'exposure', 'Exposure');
  const sources = requiredInput(inputs, 'sources', 'SourceCatalog');
  const reference = optionalInput(inputs, 'referenceCatalog', 'ReferenceCatalog');
  const header = tanWcsFromHeader(exposure.metadata);
  const astrometry: AstrometricSolution =
    reference === undefined
      ? {
          wcs: header,
          source: 'header',
          matchCount: 0,
          rmsPixels: Number.NaN,
          fallbackReason: 'no reference catalog in the repository',
        }
      : refineWcs(header, matchable(sources, config), reference, config);
  return { astrometry, sources: withSky(sources, astrometry) };
};

function matchable(
  sources: SourceCatalog,
  config: FitAstrometryConfig,
): { x: Float64Array; y: Float64Array } {
  const rows: number[] = [];
  for (let i = 0; i < sources.count; i++) {
    if (((sources.flags[i] as number) & UNMATCHABLE) === 0 && (sources.snr[i] as number) >= config.minSnr)
      rows.push(i);
  }
  rows.sort((a, b) => (sources.snr[b] as number) - (sources.snr[a] as number));
  const kept = rows.slice(0, config.maxSources);
  return {
    x: Float64Array.from(kept, (i) => sources.x[i] as number),
    y: Float64Array.from(kept, (i) => sources.y[i] as number),
  };
}

function withSky(sources: SourceCatalog, astrometry: AstrometricSolution): SourceCatalog {
  const ra = new Float64Array(sources.count);
  const dec = new Float64Array(sources.count);
  for (let i = 0; i < sources.count; i++) {
    const sky = pixelToSky(astrometry.wcs, sources.x[i] as number, sources.y[i] as number);
    ra[i] = sky.ra;
    dec[i] = sky.dec;
  }
  return { ...sources, ra, dec };
}
