// The pool's table of contents, stored beside its raws (`unobserved/<INST>/[random/]pool.json`):
// the groups and, per detector, where its raw, sidecar and truth table are. upload reads only this.
import { z } from 'zod';
import type { InstrumentName } from '../../service/domain/instruments';

const poolRawSchema = z.object({
  detector: z.number().int(),
  key: z.string(),
  sidecarKey: z.string().optional(),
  truthKey: z.string(),
  extension: z.string(),
  sizeBytes: z.number().int(),
});

const poolGroupSchema = z.object({
  name: z.string(),
  raDeg: z.number(),
  decDeg: z.number(),
  physicalFilter: z.string(),
  band: z.string(),
  salIndex: z.number().int(),
  snaps: z.number().int().positive(),
  hasTemplate: z.boolean(),
  transients: z.number().int(),
  detectors: z.array(z.number().int()),
  raws: z.array(poolRawSchema),
});

export const poolManifestSchema = z.object({
  instrument: z.string(),
  kind: z.enum(['curated', 'random']),
  createdUtc: z.string(),
  groups: z.array(poolGroupSchema),
});

export type PoolManifest = z.infer<typeof poolManifestSchema>;
export type PoolManifestGroup = z.infer<typeof poolGroupSchema>;
export type PoolManifestRaw = z.infer<typeof poolRawSchema>;

export class PoolMissingError extends Error {
  override readonly name = 'PoolMissingError';
}

/** `unobserved/<INST>/` for the curated pool, `unobserved/<INST>/random/` for upload-random's. */
export function poolPrefix(instrument: InstrumentName, kind: 'curated' | 'random'): string {
  return kind === 'curated' ? `unobserved/${instrument}/` : `unobserved/${instrument}/random/`;
}

export function parsePoolManifest(text: string, where: string): PoolManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PoolMissingError(`${where} is not JSON (${(error as Error).message}): rerun make-unobserved`);
  }
  const result = poolManifestSchema.safeParse(json);
  if (!result.success)
    throw new PoolMissingError(
      `${where} is not a pool manifest (${result.error.issues[0]?.message}): rerun make-unobserved`,
    );
  return result.data;
}
