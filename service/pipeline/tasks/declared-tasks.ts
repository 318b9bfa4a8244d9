// Tasks that pipelines name but whose implementations live elsewhere or come later: ISR and
// background (implemented in the ISR work of issue 5 and registered with TaskRegistry.implement),
// the preprocessing loader and the difference-imaging/association tasks (later issues). Their
// connections and configs are declared now so every pipeline file builds and the missing-template
// fallback already works; the engine refuses to execute them until implemented.

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
  summary:
    "Preload the APDB's DiaObjects, DiaSources and DiaForcedSources in the detector's region (later issue)",
  config: noConfig,
  inputs: { regionTime: { storageClass: 'DataFrame' } },
  outputs: {
    diaObjects: { storageClass: 'DataFrame' },
    diaSources: { storageClass: 'DataFrame' },
    diaForcedSources: { storageClass: 'DataFrame' },
  },
};

export const getTemplateTask: TaskDeclaration<Record<string, never>> = {
  name: 'getTemplate',
  summary: 'Warp and stitch the template coadd patches overlapping the detector (later issue)',
  config: noConfig,
  inputs: {
    coaddExposures: { storageClass: 'Exposure' },
    exposure: { storageClass: 'Exposure' },
    astrometry: { storageClass: 'AstrometricSolution' },
  },
  outputs: { template: { storageClass: 'Exposure' } },
};

export const subtractImagesTask: TaskDeclaration<Record<string, never>> = {
  name: 'subtractImages',
  summary: 'PSF-matched image subtraction, science − template (later issue)',
  config: noConfig,
  inputs: {
    science: { storageClass: 'Exposure' },
    template: { storageClass: 'Exposure' },
    sources: { storageClass: 'SourceCatalog' },
  },
  outputs: { difference: { storageClass: 'Exposure' }, matchedTemplate: { storageClass: 'Exposure' } },
};

export const detectAndMeasureDiaSourcesTask: TaskDeclaration<Record<string, never>> = {
  name: 'detectAndMeasureDiaSources',
  summary: 'Detect positive and negative DiaSources on the difference image and measure them (later issue)',
  config: noConfig,
  inputs: {
    difference: { storageClass: 'Exposure' },
    science: { storageClass: 'Exposure' },
    matchedTemplate: { storageClass: 'Exposure' },
  },
  outputs: { diaSources: { storageClass: 'DataFrame' } },
};

export const associateApdbTask: TaskDeclaration<Record<string, never>> = {
  name: 'associateApdb',
  summary: 'Associate DiaSources with DiaObjects, store them in the APDB and send alerts (later issue)',
  config: noConfig,
  inputs: {
    diaSources: { storageClass: 'DataFrame' },
    preloadedDiaObjects: { storageClass: 'DataFrame' },
    exposure: { storageClass: 'Exposure' },
  },
  outputs: {
    apdbMarker: { storageClass: 'ApdbMarker' },
    associatedDiaSources: { storageClass: 'DataFrame' },
  },
};
