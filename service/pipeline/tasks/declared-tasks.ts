// Tasks that pipelines name but whose implementations live elsewhere or come later: ISR and
// background (implemented in the ISR work of issue 5 and registered with TaskRegistry.implement) and
// the preprocessing loader. Their connections and configs are declared now so every pipeline file
// builds; the engine refuses to execute them until implemented. (associateApdb is declared in its own
// module and implemented once the service has an APDB and a publisher.)

import { z } from 'zod';
import type { TaskDeclaration } from '../engine/task';

const isrConfig = z.strictObject({
  doOverscan: z.boolean().default(true),
  overscanFit: z.enum(['MEDIAN', 'MEDIAN_PER_ROW', 'POLY']).default('MEDIAN_PER_ROW'),
  doBias: z.boolean().default(true),
  doDark: z.boolean().default(true),
  doFlat: z.boolean().default(true),
  doSaturation: z.boolean().default(true),
  doDefect: z.boolean().default(true),
  doVariance: z.boolean().default(true),
});

export const isrTask: TaskDeclaration<z.infer<typeof isrConfig>> = {
  name: 'isr',
  summary:
    'Instrument signature removal: overscan, assembly, bias, dark, flat, saturation and bad-pixel masks, variance',
  config: isrConfig,
  inputs: {
    ccdExposure: { storageClass: 'Raw' },
    bias: { storageClass: 'Exposure' },
    dark: { storageClass: 'Exposure', optional: true },
    flat: { storageClass: 'Exposure' },
  },
  outputs: { outputExposure: { storageClass: 'Exposure' } },
};

const backgroundConfig = z.strictObject({
  /** Mesh cell size, pixels. */
  binSize: z.number().int().positive().default(128),
  clipSigma: z.number().positive().default(3),
  clipIterations: z.number().int().positive().default(3),
  interpolation: z.enum(['LINEAR', 'BICUBIC']).default('BICUBIC'),
});

export const subtractBackgroundTask: TaskDeclaration<z.infer<typeof backgroundConfig>> = {
  name: 'subtractBackground',
  summary: 'Sigma-clipped mesh background, interpolated and subtracted',
  config: backgroundConfig,
  inputs: { exposure: { storageClass: 'Exposure' } },
  outputs: { exposure: { storageClass: 'Exposure' }, background: { storageClass: 'Background' } },
};

const noConfig = z.strictObject({});

export const loadDiaCatalogsTask: TaskDeclaration<Record<string, never>> = {
  name: 'loadDiaCatalogs',
  summary: "Preload the APDB's DiaObjects, DiaSources and DiaForcedSources in the detector's region",
  config: noConfig,
  inputs: { regionTime: { storageClass: 'DataFrame' } },
  outputs: {
    diaObjects: { storageClass: 'DataFrame' },
    diaSources: { storageClass: 'DataFrame' },
    diaForcedSources: { storageClass: 'DataFrame' },
  },
};
