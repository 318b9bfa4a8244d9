// The daily initializer of one instrument (upstream service-init + service-init-cron): registers the
// day's preload run and writes every pipeline's init-outputs, without which the service cannot run.
// A Job runs it on every Argo CD sync; a CronJob runs it at 00:01 in the observatory's day_obs zone
// (UTC-12, `Etc/GMT+12` in POSIX's inverted sign), replacing a run that is still going.

import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  SERVICE_CONFIG_ENTRIES,
  type ServiceSettingName,
  serviceConfigSchema,
} from '../../service/config/service-config';
import { SYNC_HOOK_ANNOTATIONS } from './cli-job';
import { renderEnv, type SecretKey } from './container-env';
import { assertDnsLabel } from './names';
import { restrictedPodSpec } from './restricted-pod';

export const INITIALIZER_SCHEDULE = '1 0 * * *';
export const INITIALIZER_TIME_ZONE = 'Etc/GMT+12';
export const INITIALIZER_COMMAND = ['prompt-repo', 'write-init-outputs'];

export interface InitializerProps {
  /** Name of the service it initializes (`prompt-proto-service-latiss`). */
  readonly serviceName: string;
  readonly namespace: string;
  readonly image: string;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent';
  /** Service settings the initializer reads (instrument, repo, pipelines). */
  readonly env: Partial<Record<ServiceSettingName, string>>;
  /** @default - none */
  readonly secretEnv?: Partial<Record<ServiceSettingName, SecretKey>>;
  /** Keep the CronJob from running (the sync Job still does). @default false */
  readonly suspendCron?: boolean;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** @default - the namespace's default service account */
  readonly serviceAccountName?: string;
}

export class Initializer extends Construct {
  public readonly jobName: string;
  public readonly cronJobName: string;

  constructor(scope: Construct, id: string, props: InitializerProps) {
    super(scope, id);
    this.jobName = assertDnsLabel(`init-${props.serviceName}`, 'initializer job name');
    // CronJob names leave 11 characters for the Job suffix Kubernetes appends.
    this.cronJobName = assertDnsLabel(`cron-${props.serviceName}`, 'initializer cron job name');
    if (this.cronJobName.length > 52) {
      throw new Error(`cron job name "${this.cronJobName}" is over 52 characters: shorten the service name`);
    }
    const env = renderEnv({
      owner: `initializer ${props.serviceName}`,
      entries: SERVICE_CONFIG_ENTRIES,
      schema: serviceConfigSchema,
      values: props.env,
      secrets: props.secretEnv ?? {},
      complete: false,
    });
    const labels = props.labels ?? {};
    const jobSpec: k8s.JobSpec = {
      backoffLimit: 6,
      activeDeadlineSeconds: 120,
      ttlSecondsAfterFinished: 3600,
      // A node drain is not the initializer's fault: do not count it against the retries.
      podFailurePolicy: {
        rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }],
      },
      template: {
        metadata: { labels },
        spec: restrictedPodSpec({
          containerName: 'initializer',
          image: props.image,
          imagePullPolicy: props.imagePullPolicy ?? 'IfNotPresent',
          args: INITIALIZER_COMMAND,
          env,
          restartPolicy: 'Never',
          resources: { cpuRequest: '1', cpuLimit: '1', memoryRequest: '512Mi', memoryLimit: '1Gi' },
          ...(props.serviceAccountName ? { serviceAccountName: props.serviceAccountName } : {}),
        }),
      },
    };

    new k8s.KubeJob(this, 'Resource', {
      metadata: {
        name: this.jobName,
        namespace: props.namespace,
        labels,
        annotations: SYNC_HOOK_ANNOTATIONS,
      },
      spec: jobSpec,
    });
    new k8s.KubeCronJob(this, 'Cron', {
      metadata: { name: this.cronJobName, namespace: props.namespace, labels },
      spec: {
        schedule: INITIALIZER_SCHEDULE,
        timeZone: INITIALIZER_TIME_ZONE,
        concurrencyPolicy: 'Replace',
        suspend: props.suspendCron ?? false,
        // A run missed for most of a day is still worth starting: the day's outputs need it.
        startingDeadlineSeconds: 82_800,
        jobTemplate: { metadata: { labels }, spec: jobSpec },
      },
    });
  }
}
