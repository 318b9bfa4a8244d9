// Background configuration: mesh size, clipping, which mask bits keep pixels out, interpolation.

import { z } from 'zod';
import { MaskBit } from '../../../domain/image/mask-bits';

export const backgroundConfigSchema = z
  .object({
    /** Mesh (bin) size in pixels, both axes. */
    meshSize: z.number().int().min(8).default(128),
    clipSigma: z.number().positive().default(3),
    clipIterations: z.number().int().min(0).max(20).default(3),
    /** Pixels with any of these mask bits are left out of the mesh statistics. */
    ignoredMask: z
      .number()
      .int()
      .min(0)
      .default(MaskBit.BAD | MaskBit.SAT | MaskBit.NO_DATA | MaskBit.DETECTED | MaskBit.SUSPECT | MaskBit.CR),
    /** A mesh with fewer usable pixels than this fraction is filled from its neighbours. */
    minUsableFraction: z.number().min(0).max(1).default(0.25),
    interpolation: z.enum(['cubic-spline', 'bilinear']).default('cubic-spline'),
  })
  .strict();

export type BackgroundConfig = z.infer<typeof backgroundConfigSchema>;

export const DEFAULT_BACKGROUND_CONFIG: BackgroundConfig = backgroundConfigSchema.parse({});
