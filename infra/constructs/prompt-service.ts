// The prompt service of one instrument as a Knative Service, covering upstream's
// charts/prompt-proto-service surface: one request per pod, autoscaling and queue-proxy annotations,
// the request timeout derived from the worker timeout, resources, the local-repo emptyDir, env from
// the service's config schema and credentials from a Secret.

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
import { assertDnsLabel, type ComponentLabels, componentLabels } from './names';
import { RESTRICTED_CONTAINER } from './restricted-pod';

/** Upstream caps the request timeout here whatever the worker timeout. */
export const MAX_REQUEST_TIMEOUT_SECONDS = 1200;
/** Knative's own default for config-defaults max-revision-timeout-seconds. */
export const KNATIVE_DEFAULT_MAX_REVISION_TIMEOUT_SECONDS = 600;
export const LOCAL_REPOS_PATH = '/tmp-butler';

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
  /** CPU request and limit. @default '1' */
  readonly cpu?: string;
  /** @default '2Gi' */
  readonly memoryRequest?: string;
  /** @default '8Gi' */
  readonly memoryLimit?: string;
  /** Ephemeral-storage request and limit. @default '5Gi' */
  readonly ephemeralStorage?: string;
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

    this.name = assertDnsLabel(`prompt-proto-service-${props.instrument.slug}`, 'service name');
    this.namespace = assertDnsLabel(props.namespace, 'namespace');
    this.url = `http://${this.name}.${this.namespace}.svc.cluster.local`;
    const labels: ComponentLabels = {
      component: 'prompt-proto-service',
      instrument: props.instrument.slug,
      environment: props.environment,
    };

    const env = renderEnv({
      owner: `prompt service ${props.instrument.name}`,
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
            idleTimeoutSeconds: this.timeoutSeconds,
            responseStartTimeoutSeconds: this.timeoutSeconds,
            enableServiceLinks: true,
            ...(props.serviceAccountName ? { serviceAccountName: props.serviceAccountName } : {}),
            containers: [
              {
                name: 'user-container',
                image: props.image,
                imagePullPolicy: props.imagePullPolicy ?? 'IfNotPresent',
                command: ['prompt-service'],
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
                  },
                },
                volumeMounts: [
                  { name: 'ephemeral', mountPath: LOCAL_REPOS_PATH },
                  // The root filesystem is read-only; temporary files go here.
                  { name: 'tmp', mountPath: '/tmp' },
                ],
                securityContext: RESTRICTED_CONTAINER,
              },
            ],
            volumes: [
              { name: 'ephemeral', emptyDir: { sizeLimit: props.localRepoSizeLimit ?? '5Gi' } },
              { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
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
