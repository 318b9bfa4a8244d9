// Production at USDF: pinned image tags pulled only when missing, the catalog's pipelines, a longer
// raw wait and larger preload padding (upstream prod values), syncing left to a person.

import { USDF_PROD_BUCKET_BASE } from '../../service/domain/buckets';
import { CHART_DEFAULTS, INSTRUMENT_DEFAULTS, PROD_EXPORT_TYPE_REGEXPS } from './chart-defaults';
import type { Environment } from './environment';
import { USDF_ARGO, USDF_DEV } from './usdf-dev';

/** The release deployed to production; bump in a reviewed commit. */
export const PROD_IMAGE_TAG = '1.0.0';

export const USDF_PROD: Environment = {
  ...USDF_DEV,
  name: 'usdf-prompt-processing',
  distPath: 'usdf-prompt-processing',
  // HSC is a development-only instrument (tester data).
  instruments: ['LATISS', 'LSSTComCam', 'LSSTCam'],
  image: { ...USDF_DEV.image, tag: PROD_IMAGE_TAG, pullPolicy: 'IfNotPresent' },
  kafka: {
    ...USDF_DEV.kafka,
    clusterName: 'prompt-processing',
    bootstrapServers: 'prompt-processing-kafka-bootstrap.kafka:9092',
  },
  objectStore: { ...USDF_DEV.objectStore, bucketBase: USDF_PROD_BUCKET_BASE },
  postgres: { url: 'postgresql://rubin@usdf-prompt-processing.slac.stanford.edu:5432/lsst-prod' },
  // Upstream's chart used an initContainer here; nothing shows tolerations were enabled.
  knativeFeatures: ['kubernetes.podspec-init-containers'],
  // Upstream prod uploaded to the same proxy as dev, under its own namespace.
  observability: { ...USDF_DEV.observability, sasquatchNamespace: 'lsst.prompt.prod' },
  centralRepoPath: 'central_repo',
  argo: { ...USDF_ARGO, automated: false },
  suspendInitializerCron: false,
  service: {
    ...CHART_DEFAULTS,
    imageTimeoutSeconds: 120,
    preloadPaddingArcsec: 50.1,
    exportTypeRegexps: PROD_EXPORT_TYPE_REGEXPS,
  },
  serviceByInstrument: INSTRUMENT_DEFAULTS,
};
