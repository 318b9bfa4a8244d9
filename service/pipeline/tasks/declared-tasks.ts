// Tasks that pipelines name but whose implementations live elsewhere: ISR and background (implemented
// in the ISR work of issue 5 and registered with TaskRegistry.implement). Their connections and
// configs are declared here so every pipeline file builds; the engine refuses to execute them until
// implemented. (associateApdb and loadDiaCatalogs are declared in their own modules and implemented
// once the service has an APDB, and for associateApdb a publisher.)

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
