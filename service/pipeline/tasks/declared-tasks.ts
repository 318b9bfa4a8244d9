// Tasks that pipelines name but whose implementations live elsewhere or come later: ISR and
// background (implemented in the ISR work of issue 5 and registered with TaskRegistry.implement) and
// the preprocessing loader. Their connections and configs are declared now so every pipeline file
// builds; the engine refuses to execute them until implemented. (associateApdb is declared in its own
// module and implemented once the service has an APDB and a publisher.)

import { z } from 'zod';
import type { TaskDeclaration } from '../engine/task';
import { type BackgroundConfig, backgroundConfigSchema } from './background/background-config';
import { type IsrConfig, isrConfigSchema } from './isr/isr-config';

export const isrTask: TaskDeclaration<IsrConfig> = {
  name: 'isr',
  summary:
    'Instrument signature removal: overscan, assembly, bias, dark, flat, saturation and bad-pixel masks, variance',
  config: isrConfigSchema,
  inputs: {
    ccdExposure: { storageClass: 'Raw' },
    bias: { storageClass: 'Exposure' },
    dark: { storageClass: 'Exposure', optional: true },
    flat: { storageClass: 'Exposure' },
    defects: { storageClass: 'Defects', optional: true },
  },
  outputs: { outputExposure: { storageClass: 'Exposure' } },
};

export const subtractBackgroundTask: TaskDeclaration<BackgroundConfig> = {
  name: 'subtractBackground',
  summary: 'Sigma-clipped mesh background, interpolated and subtracted',
  config: backgroundConfigSchema,
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
