// The shared development environment at USDF (upstream values-usdfdev-prompt-processing.yaml):
// latest images pulled every start, long message expiry for replayed tester visits, Argo CD syncing
// automatically, the daily initializer cron suspended.

import { USDF_DEV_BUCKET_BASE } from '../../service/domain/buckets';
import { INSTRUMENT_NAMES, type Instrument } from '../../service/domain/instruments';
import {
  CHART_DEFAULTS,
  INSTRUMENT_DEFAULTS,
  OBSERVABILITY_DEFAULTS,
  SERVICE_IMAGE_REPOSITORY,
} from './chart-defaults';
import type { ArgoSettings, Environment } from './environment';

/** USDF's dev Sasquatch REST proxy (upstream dev and prod both uploaded there, anonymously). */
export const USDF_SASQUATCH_URL = 'https://usdf-rsp-dev.slac.stanford.edu/sasquatch-rest-proxy';

export const PROJECT_REPO_URL = 'https://github.com/lsst-dm/prompt-processing-ts.git';

/** Argo CD at USDF; production differs only in syncing by hand. */
export const USDF_ARGO: ArgoSettings = {
  namespace: 'argocd',
  project: 'default',
  repoURL: PROJECT_REPO_URL,
  targetRevision: 'main',
  automated: true,
};

export const USDF_DEV: Environment = {
  name: 'usdf-prompt-processing-dev',
  distPath: 'usdf-prompt-processing-dev',
  resourcePrefix: '',
  instruments: INSTRUMENT_NAMES,
  namespaceOf: (instrument: Instrument) => `prompt-proto-service-${instrument.slug}`,
  apdbSchemaOf: (instrument: Instrument) => `pp_apdb_${instrument.slug}`,
  image: { repository: SERVICE_IMAGE_REPOSITORY, tag: 'latest', pullPolicy: 'Always' },
  // USDF raised Knative's cap so a 900 s worker timeout fits (upstream ran 1200 s).
  knativeMaxRevisionTimeoutSeconds: 1200,
  // Upstream's chart used an initContainer and its hsc-gpu service tolerations on this cluster.
  knativeFeatures: ['kubernetes.podspec-init-containers', 'kubernetes.podspec-tolerations'],
  kafka: {
    clusterName: 'prompt-processing2',
    namespace: 'kafka',
    bootstrapServers: 'prompt-processing2-kafka-bootstrap.kafka:9092',
    // Upstream's topics and users were v1beta2, which Strimzi 1.0 removed.
    strimziVersion: '0.49.1',
    strimziApiVersion: 'v1beta2',
    partitions: 1,
    replicas: 3,
    retentionMs: 7 * 24 * 3600 * 1000,
  },
  objectStore: {
    endpointUrl: 'https://s3dfrgw.slac.stanford.edu',
    rookStoreName: 's3dfrgw',
    rookStoreNamespace: 'rook-ceph',
    notificationDelivery: 'kafka',
    bucketBase: USDF_DEV_BUCKET_BASE,
    bucketsPerInstrument: false,
  },
  postgres: { url: 'postgresql://rubin@usdf-prompt-processing-dev.slac.stanford.edu:5432/lsst-devl' },
  observability: { ...OBSERVABILITY_DEFAULTS, sasquatchUrl: USDF_SASQUATCH_URL, sasquatchToken: false },
  centralRepoPath: 'central_repo_2',
  argo: USDF_ARGO,
  suspendInitializerCron: true,
  service: {
    ...CHART_DEFAULTS,
    // Testers replay old visits: upstream dev never lets them expire.
    messageExpirationSeconds: 600_000_000,
  },
  serviceByInstrument: {
    ...INSTRUMENT_DEFAULTS,
    LSSTCam: {
      ...INSTRUMENT_DEFAULTS.LSSTCam,
      // More than ~165 pods starved for storage on the dev cluster.
      maxScale: 150,
      // Upstream dev skips SingleFrame; production runs the catalog's full fallback list.
      pipelines: { main: ['ApPipe', 'Isr'], preprocessing: ['Preprocessing'] },
    },
  },
};
