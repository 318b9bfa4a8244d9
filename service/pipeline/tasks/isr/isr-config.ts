// ISR configuration: which corrections run and how the overscan is fitted. A zod schema so pipeline
// YAML overrides are checked (and defaulted) the same way everywhere.

import { z } from 'zod';
import { DEFAULT_OVERSCAN_CONFIG } from './overscan';

export const overscanConfigSchema = z
  .object({
    serialFit: z
      .enum(['median-per-row', 'mean-per-row', 'polynomial'])
      .default(DEFAULT_OVERSCAN_CONFIG.serialFit),
    polynomialOrder: z.number().int().min(0).max(10).default(DEFAULT_OVERSCAN_CONFIG.polynomialOrder),
    parallelFit: z.enum(['none', 'median-per-column']).default(DEFAULT_OVERSCAN_CONFIG.parallelFit),
    leadingColumnsToSkip: z.number().int().min(0).default(DEFAULT_OVERSCAN_CONFIG.leadingColumnsToSkip),
    trailingColumnsToSkip: z.number().int().min(0).default(DEFAULT_OVERSCAN_CONFIG.trailingColumnsToSkip),
    clipSigma: z.number().positive().default(DEFAULT_OVERSCAN_CONFIG.clipSigma),
  })
  .strict();

export const isrConfigSchema = z
  .object({
    overscan: overscanConfigSchema.default(overscanConfigSchema.parse({})),
    /** Flag raw pixels at or above each amp's saturation level (SAT). */
    doSaturation: z.boolean().default(true),
    /** Subtract the master bias / dark, divide by the flat, when the calibration is given. */
    doBias: z.boolean().default(true),
    doDark: z.boolean().default(true),
    doFlat: z.boolean().default(true),
    /** Flag the defects (BAD). */
    doDefects: z.boolean().default(true),
    /** Interpolate over the defects (flagged INTRP as well as BAD) so detection does not see them. */
    doInterpolate: z.boolean().default(true),
    doVariance: z.boolean().default(true),
  })
  .strict();

export type IsrConfig = z.infer<typeof isrConfigSchema>;

export const DEFAULT_ISR_CONFIG: IsrConfig = isrConfigSchema.parse({});

/** Parses pipeline overrides over the defaults; the error lists each bad field. */
export function isrConfigFrom(overrides: unknown): IsrConfig {
  return isrConfigSchema.parse(overrides ?? {});
}
