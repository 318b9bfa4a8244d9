// The prompt service of one instrument as a Knative Service, covering upstream's
// charts/prompt-proto-service surface: one request per pod, autoscaling and queue-proxy annotations,
// the request timeouts derived from the worker timeout, resources (GPUs included), tolerations and
// affinity behind Knative's feature flags, the local-repo emptyDir, env from the service's config
// schema, credentials from a Secret (as env, or as mounted files).

import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  SERVICE_CONFIG_ENTRIES,
  type ServiceSettingName,
  serviceConfigSchema,
} from '../../service/config/service-config';
import type { Instrument } from '../../service/domain/instruments';
import {
  Service as KnativeService,
  ServiceSpecTemplateSpecContainersResourcesLimits as Quantity,
} from '../imports/serving.knative.dev';
import { renderEnv, type SecretKey } from './container-env';
import { assertKnativeFeatures, type GatedField, type KnativeFeature } from './knative-features';
import { assertDnsLabel, type ComponentLabels, componentLabels } from './names';
import { RESTRICTED_CONTAINER } from './restricted-pod';
import { secretFiles } from './secret-files';

/** Upstream caps the request timeout here whatever the worker timeout. */
export const MAX_REQUEST_TIMEOUT_SECONDS = 1200;
/** Knative's own default for config-defaults max-revision-timeout-seconds. */
export const KNATIVE_DEFAULT_MAX_REVISION_TIMEOUT_SECONDS = 600;
export const LOCAL_REPOS_PATH = '/tmp-butler';
/** The extended resource NVIDIA's device plugin advertises; GPU nodes carry a taint of this key. */
export const GPU_RESOURCE = 'nvidia.com/gpu';
/**
 * Tolerates the GPU nodes' taint whatever its value (upstream hsc-gpu tolerated `nvidia.com/gpu`
 * with an empty value; clusters also use `present` or `true`).
 */
export const GPU_TOLERATION: k8s.Toleration = { key: GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' };

/** Resources of Knative's queue-proxy sidecar, set through annotations. */
export interface QueueProxyResources {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
  readonly ephemeralStorageRequest: string;
  readonly ephemeralStorageLimit: string;
}

export const DEFAULT_QUEUE_PROXY_RESOURCES: QueueProxyResources = {
  cpuRequest: '25m',
  cpuLimit: '1000m',
  memoryRequest: '400Mi',
  memoryLimit: '800Mi',
  ephemeralStorageRequest: '400Mi',
  ephemeralStorageLimit: '450Mi',
};

export interface PromptServiceProps {
  /** Instrument served; names the service and sets RUBIN_INSTRUMENT and SKYMAP. */
  readonly instrument: Instrument;
  /** Namespace of the service; part of its URL. */
  readonly namespace: string;
  /** Environment name, for labels. */
  readonly environment: string;
  /** Full image reference (`ghcr.io/lsst-dm/prompt-service:latest`). */
  readonly image: string;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent';
  /** Settings rendered as env (names from service/config/service-config.ts). Worker and instrument settings are filled in. */
  readonly env: Partial<Record<ServiceSettingName, string>>;
  /** Credentials, by setting name. @default - none */
  readonly secretEnv?: Partial<Record<ServiceSettingName, SecretKey>>;
  /** Requests one pod handles at once; also WORKER_COUNT. @default 1 */
  readonly containerConcurrency?: number;
  /** @default 1 */
  readonly minScale?: number;
  /** @default 10 */
  readonly maxScale?: number;
  /** @default 80 */
  readonly targetUtilizationPercentage?: number;
  /** -1 routes every request through the activator. @default - Knative's default */
  readonly targetBurstCapacity?: number;
  /** WORKER_TIMEOUT. @default 900 */
  readonly workerTimeoutSeconds?: number;
  /** Margin added to twice the worker timeout for the request timeout. @default 10 */
  readonly extraTimeoutSeconds?: number;
  /** The cluster's Knative max-revision-timeout-seconds. @default 600 */
  readonly maxRevisionTimeoutSeconds?: number;
  /** Seconds a request may send nothing once started (upstream knative.idleTimeout). @default - the request timeout */
  readonly idleTimeoutSeconds?: number;
  /** Seconds until a request's first response byte (upstream knative.responseStartTimeout). @default - the request timeout */
  readonly responseStartTimeoutSeconds?: number;
  /** CPU request and limit. @default '1' */
  readonly cpu?: string;
  /** @default '2Gi' */
  readonly memoryRequest?: string;
  /** @default '8Gi' */
  readonly memoryLimit?: string;
  /** Ephemeral-storage request and limit. @default '5Gi' */
  readonly ephemeralStorage?: string;
  /** NVIDIA GPUs per pod: sets the nvidia.com/gpu limit and tolerates the GPU nodes' taint. @default 0 */
  readonly gpus?: number;
  /** Taints the pods tolerate; needs Knative's kubernetes.podspec-tolerations. @default - none */
  readonly tolerations?: readonly k8s.Toleration[];
  /** Node and pod (anti-)affinity; needs Knative's kubernetes.podspec-affinity. @default - none */
  readonly affinity?: k8s.Affinity;
  /** Knative config-features flags enabled on the cluster. @default - none: Knative's defaults */
  readonly knativeFeatures?: readonly KnativeFeature[];
  /** Secret key holding an AWS shared-credentials file, mounted at /app/s3/credentials. @default - none */
  readonly s3CredentialsFile?: SecretKey;
  /**
   * Secret key holding a Butler config (butler.yaml) that redirects to the central repo; CENTRAL_REPO
   * or READ_CENTRAL_REPO must then name `centralRepoFileDir`. @default - none
   */
  readonly centralRepoFile?: SecretKey;
  /** Directory the central repo's butler.yaml is mounted in. @default '/app/central-repo' */
  readonly centralRepoFileDir?: string;
  /** Size limit of the /tmp-butler emptyDir holding local repos. @default '5Gi' */
  readonly localRepoSizeLimit?: string;
  /** @default DEFAULT_QUEUE_PROXY_RESOURCES */
  readonly queueProxy?: QueueProxyResources;
  /** Change to force a new revision with nothing else changed. @default '1' */
  readonly revision?: string;
  /** @default - the namespace's default service account */
  readonly serviceAccountName?: string;
}

/** The Knative Service `prompt-proto-service-<instrument>`. */
export class PromptService extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  /** Cluster-local URL the fan-out POSTs to. */
  public readonly url: string;
  public readonly timeoutSeconds: number;
  public readonly resource: KnativeService;

  constructor(scope: Construct, id: string, props: PromptServiceProps) {
    super(scope, id);
    const concurrency = props.containerConcurrency ?? 1;
    const minScale = props.minScale ?? 1;
    const maxScale = props.maxScale ?? 10;
    const workerTimeout = props.workerTimeoutSeconds ?? 900;
    const maxRevisionTimeout =
      props.maxRevisionTimeoutSeconds ?? KNATIVE_DEFAULT_MAX_REVISION_TIMEOUT_SECONDS;
    const utilization = props.targetUtilizationPercentage ?? 80;
    const gpus = props.gpus ?? 0;

    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new Error(`container concurrency (${concurrency}) must be a whole number of at least 1`);
    }
    if (!Number.isInteger(minScale) || minScale < 0) {
      throw new Error(`min-scale (${minScale}) must be a whole number of at least 0`);
    }
    if (maxScale < minScale) {
      throw new Error(
        `max-scale (${maxScale}) is below min-scale (${minScale}): raise maxScale or lower minScale`,
      );
    }
    if (!Number.isInteger(gpus) || gpus < 0) {
      throw new Error(`gpus (${gpus}) must be a whole number of at least 0`);
    }
    if (utilization <= 0 || utilization > 100) {
      throw new Error(`target utilization (${utilization}%) must be in (0, 100]`);
    }
    this.timeoutSeconds = requestTimeoutSeconds(workerTimeout, props.extraTimeoutSeconds ?? 10);
    if (this.timeoutSeconds > maxRevisionTimeout) {
      throw new Error(
        `request timeout ${this.timeoutSeconds} s (from worker timeout ${workerTimeout} s) is above the ` +
          `cluster's Knative max-revision-timeout-seconds (${maxRevisionTimeout}): lower workerTimeoutSeconds ` +
          'or raise max-revision-timeout-seconds in config-defaults',
      );
    }
    // Knative's limits: a response must start within the request timeout; idleness is capped by the cluster.
    const responseStartTimeout = boundedSeconds(
      'response-start timeout',
      props.responseStartTimeoutSeconds ?? this.timeoutSeconds,
      this.timeoutSeconds,
      'the request timeout',
    );
    const idleTimeout = boundedSeconds(
      'idle timeout',
      props.idleTimeoutSeconds ?? this.timeoutSeconds,
      maxRevisionTimeout,
      "the cluster's max-revision-timeout-seconds",
    );

    this.name = assertDnsLabel(`prompt-proto-service-${props.instrument.slug}`, 'service name');
    this.namespace = assertDnsLabel(props.namespace, 'namespace');
    this.url = `http://${this.name}.${this.namespace}.svc.cluster.local`;
    const labels: ComponentLabels = {
      component: 'prompt-proto-service',
      instrument: props.instrument.slug,
      environment: props.environment,
    };

    const owner = `prompt service ${props.instrument.name}`;
    const scheduling = podScheduling(owner, props);
    const files = secretFiles(props);
    if (files.env.AWS_SHARED_CREDENTIALS_FILE && props.env.AWS_SHARED_CREDENTIALS_FILE !== undefined) {
      throw new Error(
        `${owner}: AWS_SHARED_CREDENTIALS_FILE is set by s3CredentialsFile: remove it from env`,
      );
    }
    if (files.centralRepoDir !== undefined) {
      const repos = [props.env.CENTRAL_REPO, props.env.READ_CENTRAL_REPO];
      if (!repos.includes(files.centralRepoDir)) {
        throw new Error(
          `${owner}: the central repo's butler.yaml is mounted at ${files.centralRepoDir} but neither ` +
            `CENTRAL_REPO (${props.env.CENTRAL_REPO}) nor READ_CENTRAL_REPO names it: set one to ${files.centralRepoDir}`,
        );
      }
    }

    const env = renderEnv({
      owner,
      entries: SERVICE_CONFIG_ENTRIES,
      schema: serviceConfigSchema,
      values: {
        RUBIN_INSTRUMENT: props.instrument.name,
        SKYMAP: props.instrument.skymap,
        PLATFORM: 'knative',
        WORKER_COUNT: String(concurrency),
        WORKER_TIMEOUT: String(workerTimeout),
        LOCAL_REPOS: LOCAL_REPOS_PATH,
        ...props.env,
        ...files.env,
      },
      secrets: props.secretEnv ?? {},
      complete: true,
    });

    const queue = props.queueProxy ?? DEFAULT_QUEUE_PROXY_RESOURCES;
    const cpu = props.cpu ?? '1';
    const ephemeral = props.ephemeralStorage ?? '5Gi';
    this.resource = new KnativeService(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: componentLabels(labels),
        // After the Sync-phase schema and initializer Jobs (wave -1), so a new revision never starts
        // before its APDB schema and init-outputs exist. Upstream used a PostSync hook for this; a wave
        // keeps the service an ordinary tracked resource that Argo CD diffs and prunes.
        annotations: { 'argocd.argoproj.io/sync-wave': '1' },
      },
      spec: {
        template: {
          metadata: {
            labels: componentLabels(labels),
            annotations: {
              'autoscaling.knative.dev/min-scale': String(minScale),
              'autoscaling.knative.dev/max-scale': String(maxScale),
              'autoscaling.knative.dev/target-utilization-percentage': String(utilization),
              ...(props.targetBurstCapacity === undefined
                ? {}
                : { 'autoscaling.knative.dev/target-burst-capacity': String(props.targetBurstCapacity) }),
              'queue.sidecar.serving.knative.dev/cpu-resource-request': queue.cpuRequest,
              'queue.sidecar.serving.knative.dev/cpu-resource-limit': queue.cpuLimit,
              'queue.sidecar.serving.knative.dev/memory-resource-request': queue.memoryRequest,
              'queue.sidecar.serving.knative.dev/memory-resource-limit': queue.memoryLimit,
              'queue.sidecar.serving.knative.dev/ephemeral-storage-resource-request':
                queue.ephemeralStorageRequest,
              'queue.sidecar.serving.knative.dev/ephemeral-storage-resource-limit':
                queue.ephemeralStorageLimit,
              revision: props.revision ?? '1',
            },
          },
          spec: {
            containerConcurrency: concurrency,
            timeoutSeconds: this.timeoutSeconds,
            idleTimeoutSeconds: idleTimeout,
            responseStartTimeoutSeconds: responseStartTimeout,
            enableServiceLinks: true,
            ...scheduling,
            ...(props.serviceAccountName ? { serviceAccountName: props.serviceAccountName } : {}),
            containers: [
              {
                name: 'user-container',
                image: props.image,
                imagePullPolicy: props.imagePullPolicy ?? 'IfNotPresent',
                args: ['prompt-service'],
                env,
                resources: {
                  requests: {
                    cpu: Quantity.fromString(cpu),
                    memory: Quantity.fromString(props.memoryRequest ?? '2Gi'),
                    'ephemeral-storage': Quantity.fromString(ephemeral),
                  },
                  limits: {
                    cpu: Quantity.fromString(cpu),
                    memory: Quantity.fromString(props.memoryLimit ?? '8Gi'),
                    'ephemeral-storage': Quantity.fromString(ephemeral),
                    ...(gpus > 0 ? { [GPU_RESOURCE]: Quantity.fromString(String(gpus)) } : {}),
                  },
                },
                volumeMounts: [
                  { name: 'ephemeral', mountPath: LOCAL_REPOS_PATH },
                  // The root filesystem is read-only; temporary files go here.
                  { name: 'tmp', mountPath: '/tmp' },
                  ...files.volumeMounts,
                ],
                securityContext: RESTRICTED_CONTAINER,
              },
            ],
            volumes: [
              { name: 'ephemeral', emptyDir: { sizeLimit: props.localRepoSizeLimit ?? '5Gi' } },
              { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
              ...files.volumes,
            ],
          },
        },
      },
    });
  }
}

/** Upstream's rule: twice the worker timeout plus a margin, capped at 1200 s. */
export function requestTimeoutSeconds(workerTimeoutSeconds: number, extraTimeoutSeconds: number): number {
  return Math.min(MAX_REQUEST_TIMEOUT_SECONDS, 2 * workerTimeoutSeconds + extraTimeoutSeconds);
}

function boundedSeconds(what: string, seconds: number, max: number, maxName: string): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > max) {
    throw new Error(`${what} (${seconds} s) must be a whole number of seconds from 1 to ${maxName} (${max})`);
  }
  return seconds;
}

/** Tolerations (the GPU taint's included) and affinity, checked against the cluster's Knative flags. */
function podScheduling(
  owner: string,
  props: PromptServiceProps,
): { tolerations?: Record<string, unknown>[]; affinity?: Record<string, unknown> } {
  const tolerations = [...(props.tolerations ?? [])];
  if ((props.gpus ?? 0) > 0 && !tolerations.some((t) => t.key === GPU_RESOURCE)) {
    tolerations.push(GPU_TOLERATION);
  }
  const gated: GatedField[] = [];
  if (tolerations.length > 0) gated.push({ field: 'tolerations', feature: 'kubernetes.podspec-tolerations' });
  if (props.affinity) gated.push({ field: 'affinity', feature: 'kubernetes.podspec-affinity' });
  assertKnativeFeatures(owner, gated, props.knativeFeatures ?? []);
  const json = (value: Record<string, unknown> | undefined) => value ?? {};
  return {
    ...(tolerations.length > 0
      ? { tolerations: tolerations.map((t) => json(k8s.toJson_Toleration(t))) }
      : {}),
    ...(props.affinity ? { affinity: json(k8s.toJson_Affinity(props.affinity)) } : {}),
  };
}
