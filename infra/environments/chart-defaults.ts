// Settings every environment shares unless it overrides them: upstream's
// charts/prompt-proto-service/values.yaml and the per-instrument applications/*/values.yaml.

import type { InstrumentName } from '../../service/domain/instruments';
import type { ObservabilitySettings, ServiceTuning } from './environment';

export const SERVICE_IMAGE_REPOSITORY = 'ghcr.io/lsst-dm/prompt-service';

/**
 * The dataset types USDF prod exports (EXPORT_TYPE_REGEXP in its LSSTCam values): task configs,
 * metadata and logs, the visit and difference images, the DIA catalogs, solar-system sources and
 * provenance. Intermediates (post-ISR images, templates) stay in the local repo and go with it.
 */
export const PROD_EXPORT_TYPE_REGEXPS: readonly string[] = [
  '.*_(config|metadata|log)',
  'packages',
  'regionTimeInfo',
  'preliminary_visit_image',
  'difference_image',
  'dia_.*',
  'ss_.*',
  'prompt_provenance',
];

/** EXPORT_TYPE_REGEXP's value: a YAML list of regexes. */
export function exportTypeRegexpSetting(regexps: readonly string[]): string {
  return regexps.map((r) => `- ${r}`).join('\n');
}

export const CHART_DEFAULTS: ServiceTuning = {
  minScale: 1,
  maxScale: 10,
  targetUtilizationPercentage: 80,
  containerConcurrency: 1,
  workerTimeoutSeconds: 900,
  extraTimeoutSeconds: 10,
  workerRestartFreq: 0,
  workerGracePeriodSeconds: 45,
  cpu: '1',
  memoryRequest: '2Gi',
  memoryLimit: '8Gi',
  ephemeralStorage: '5Gi',
  localRepoSizeLimit: '5Gi',
  imageTimeoutSeconds: 20,
  messageExpirationSeconds: 3600,
  preloadPaddingArcsec: 30,
  localRepoCacheSize: 3,
  serviceLogLevels:
    'timer.lsst.activator=DEBUG timer.lsst.daf.butler=DEBUG lsst.associateApdb=VERBOSE ' +
    'lsst.computeReliability=VERBOSE lsst.daf.butler=VERBOSE',
  exportTypeRegexps: ['.*'],
  debugExportOutputs: true,
  revision: '1',
};

/** Per-instrument overrides shared by every environment (upstream applications/prompt-proto-service-*). */
export const INSTRUMENT_DEFAULTS: Partial<Record<InstrumentName, Partial<ServiceTuning>>> = {
  LATISS: { minScale: 3, maxScale: 30, targetUtilizationPercentage: 60, targetBurstCapacity: -1 },
  LSSTComCam: { minScale: 3, maxScale: 30 },
  LSSTCam: { minScale: 3, maxScale: 600 },
  HSC: { minScale: 3, maxScale: 100 },
};

/** Upstream chart defaults: no metrics upload, the `lsst.prompt` namespace, token auth when uploading. */
export const OBSERVABILITY_DEFAULTS: ObservabilitySettings = {
  sasquatchUrl: '',
  sasquatchNamespace: 'lsst.prompt',
  sasquatchToken: true,
  mpSkyUrl: '',
};
