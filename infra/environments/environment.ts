// What an environment is, as typed data: where it runs, which image it deploys, which Kafka, object
// store and Postgres it talks to, how the prompt service is tuned, and how Argo CD syncs it.
// Upstream kept this in Helm values files; here the compiler checks every field.

import type { k8s } from 'cdk8s-plus-27';
import { type Buckets, bucketNames } from '../../service/domain/buckets';
import type { Instrument, InstrumentName, PipelineDefaults } from '../../service/domain/instruments';
import type { KnativeFeature } from '../constructs/knative-features';

export type StrimziApiVersion = 'v1' | 'v1beta2';
export type PullPolicy = 'Always' | 'IfNotPresent';

/** Settings of the prompt service that upstream kept in values.yaml (and overrode per instrument). */
export interface ServiceTuning {
  readonly minScale: number;
  readonly maxScale: number;
  readonly targetUtilizationPercentage: number;
  /** Knative target-burst-capacity; undefined leaves Knative's default. */
  readonly targetBurstCapacity?: number;
  readonly containerConcurrency: number;
  readonly workerTimeoutSeconds: number;
  readonly extraTimeoutSeconds: number;
  /** Knative idleTimeoutSeconds; undefined uses the request timeout (upstream's 0). */
  readonly idleTimeoutSeconds?: number;
  /** Knative responseStartTimeoutSeconds; undefined uses the request timeout (upstream's 0). */
  readonly responseStartTimeoutSeconds?: number;
  readonly workerRestartFreq: number;
  readonly workerGracePeriodSeconds: number;
  readonly cpu: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
  readonly ephemeralStorage: string;
  readonly localRepoSizeLimit: string;
  /** NVIDIA GPUs per pod (upstream knative.gpu/gpuRequest); tolerates the GPU taint. */
  readonly gpus?: number;
  /** Needs `kubernetes.podspec-tolerations` in the environment's knativeFeatures. */
  readonly tolerations?: readonly k8s.Toleration[];
  /** Needs `kubernetes.podspec-affinity` in the environment's knativeFeatures. */
  readonly affinity?: k8s.Affinity;
  readonly imageTimeoutSeconds: number;
  readonly messageExpirationSeconds: number;
  readonly preloadPaddingArcsec: number;
  readonly localRepoCacheSize: number;
  readonly serviceLogLevels: string;
  readonly exportTypeRegexps: readonly string[];
  readonly debugExportOutputs: boolean;
  readonly pipelines?: PipelineDefaults;
  /** Bumped by hand to force a new Knative revision (and a restart) without other changes. */
  readonly revision: string;
}

export interface ImageSettings {
  readonly repository: string;
  readonly tag: string;
  readonly pullPolicy: PullPolicy;
}

export interface KafkaSettings {
  /** Strimzi `Kafka` resource name (the `strimzi.io/cluster` label). */
  readonly clusterName: string;
  readonly namespace: string;
  readonly bootstrapServers: string;
  /**
   * Release of the cluster's Strimzi operator; infra/crds/ keeps its CRDs
   * (`strimzi-<version>-*.yaml`), against which the tests validate this environment's Kafka objects.
   */
  readonly strimziVersion: string;
  /** v1 for Strimzi ≥ 1.0 (v1beta2 is gone there), v1beta2 before; checked against strimziVersion. */
  readonly strimziApiVersion: StrimziApiVersion;
  readonly partitions: number;
  readonly replicas: number;
  readonly retentionMs: number;
}

export type NotificationDelivery = 'kafka' | 'http-bridge';

export interface ObjectStoreSettings {
  readonly endpointUrl: string;
  /** Rook CephObjectStore that sends the notifications. */
  readonly rookStoreName: string;
  readonly rookStoreNamespace: string;
  /** RGW pushes to Kafka itself, or to the notification bridge over HTTP. */
  readonly notificationDelivery: NotificationDelivery;
  /** Claim buckets through ObjectBucketClaims of this storage class; absent, the buckets exist already. */
  readonly bucketStorageClass?: string;
  /** Base of bucket names (see service/domain/buckets.ts). */
  readonly bucketBase: string;
  /** Give every instrument buckets of its own. */
  readonly bucketsPerInstrument: boolean;
}

/** Where the service reports metrics and asks for solar-system objects (upstream sasquatch.*, MP_SKY_URL). */
export interface ObservabilitySettings {
  /** Sasquatch REST proxy for metrics; '' disables the upload. */
  readonly sasquatchUrl: string;
  /** DAF_BUTLER_SASQUATCH_NAMESPACE. */
  readonly sasquatchNamespace: string;
  /** Authenticate with the `sasquatch_token` key of the service Secret (upstream auth_env). */
  readonly sasquatchToken: boolean;
  /** Solar-system ephemeris service; '' leaves MP_SKY_URL unset. */
  readonly mpSkyUrl: string;
}

export interface PostgresSettings {
  /** postgresql:// URL without a password (that comes from a Secret as PGPASSWORD). */
  readonly url: string;
}

export interface ArgoSettings {
  readonly namespace: string;
  readonly project: string;
  readonly repoURL: string;
  readonly targetRevision: string;
  /** Automated sync with prune and self-heal; false leaves syncing to a person. */
  readonly automated: boolean;
}

/** Limits for an isolated namespace, so one developer cannot starve the others. */
export interface NamespaceQuota {
  readonly cpu: string;
  readonly memory: string;
  readonly ephemeralStorage: string;
  readonly pods: number;
}

export interface Environment {
  /** Environment name: Argo CD cluster and `dist/` folder of shared environments. */
  readonly name: string;
  /** Folder under dist/ the environment is written to. */
  readonly distPath: string;
  /** Set for a developer's isolated environment. */
  readonly developer?: string;
  /** Prefix of Kafka topics and users (`dev-alice-`), empty for shared environments. */
  readonly resourcePrefix: string;
  readonly instruments: readonly InstrumentName[];
  readonly namespaceOf: (instrument: Instrument) => string;
  readonly apdbSchemaOf: (instrument: Instrument) => string;
  readonly image: ImageSettings;
  /** Knative `config-defaults` max-revision-timeout-seconds on this cluster. */
  readonly knativeMaxRevisionTimeoutSeconds: number;
  /** Knative `config-features` flags enabled on this cluster (tolerations and affinity need theirs). */
  readonly knativeFeatures: readonly KnativeFeature[];
  readonly kafka: KafkaSettings;
  readonly objectStore: ObjectStoreSettings;
  readonly postgres: PostgresSettings;
  readonly observability: ObservabilitySettings;
  /** Path of the central repo inside the users bucket. */
  readonly centralRepoPath: string;
  /** Central repo to read calibs and templates from when it is not the one outputs go to. */
  readonly readCentralRepo?: string;
  /** Absent for environments that are applied by hand (developers). */
  readonly argo?: ArgoSettings;
  readonly quota?: NamespaceQuota;
  /** The daily initializer CronJob is suspended (the Sync-hook Job still runs). */
  readonly suspendInitializerCron: boolean;
  readonly service: ServiceTuning;
  readonly serviceByInstrument: Partial<Record<InstrumentName, Partial<ServiceTuning>>>;
}

/** The tuning of one instrument's service: environment defaults, then the instrument's overrides. */
export function serviceTuningFor(environment: Environment, instrument: Instrument): ServiceTuning {
  return { ...environment.service, ...environment.serviceByInstrument[instrument.name] };
}

/** Buckets one instrument of an environment uses. */
export function bucketsFor(environment: Environment, instrument: Instrument): Buckets {
  const { bucketBase, bucketsPerInstrument } = environment.objectStore;
  return bucketNames(bucketBase, bucketsPerInstrument ? instrument : undefined);
}
