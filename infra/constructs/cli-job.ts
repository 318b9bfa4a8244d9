// A Job that runs one of the project's CLIs from the service image, by default as an Argo CD Sync
// hook: it runs on every sync, before the service (wave -1), and the previous run is deleted first.
// The hook CLIs are idempotent (create-if-missing, migrate-to-head), so re-running on every sync is
// safe. One-shot Jobs applied by hand (a developer's teardown) are plain Jobs.

import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  SERVICE_CONFIG_ENTRIES,
  type ServiceSettingName,
  serviceConfigSchema,
} from '../../service/config/service-config';
import { renderEnv, type SecretKey } from './container-env';
import { assertDnsLabel } from './names';
import { restrictedPodSpec } from './restricted-pod';

export const SYNC_HOOK_ANNOTATIONS: Record<string, string> = {
  'argocd.argoproj.io/hook': 'Sync',
  'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
  'argocd.argoproj.io/sync-wave': '-1',
};

export interface CliJobProps {
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent';
  /** The CLI and its arguments (`['prompt-apdb', 'create', …]`). */
  readonly command: readonly string[];
  /** Service settings the CLI reads. @default - none */
  readonly env?: Partial<Record<ServiceSettingName, string>>;
  /** @default - none */
  readonly secretEnv?: Partial<Record<ServiceSettingName, SecretKey>>;
  /** Give up after this long. @default 600 */
  readonly activeDeadlineSeconds?: number;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** @default - the namespace's default service account */
  readonly serviceAccountName?: string;
  /** Run as an Argo CD Sync hook on every sync; false for a Job applied once by hand. @default true */
  readonly syncHook?: boolean;
}

export class CliJob extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: CliJobProps) {
    super(scope, id);
    if (props.command.length === 0)
      throw new Error(`job ${props.name} has an empty command: name the CLI to run`);
    this.name = assertDnsLabel(props.name, 'job name');
    const env = renderEnv({
      owner: `job ${props.name}`,
      entries: SERVICE_CONFIG_ENTRIES,
      schema: serviceConfigSchema,
      values: props.env ?? {},
      secrets: props.secretEnv ?? {},
      complete: false,
    });
    new k8s.KubeJob(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: props.namespace,
        labels: props.labels ?? {},
        ...(props.syncHook === false ? {} : { annotations: SYNC_HOOK_ANNOTATIONS }),
      },
      spec: {
        backoffLimit: 6,
        activeDeadlineSeconds: props.activeDeadlineSeconds ?? 600,
        ttlSecondsAfterFinished: 3600,
        template: {
          metadata: { labels: props.labels ?? {} },
          spec: restrictedPodSpec({
            containerName: 'cli',
            image: props.image,
            imagePullPolicy: props.imagePullPolicy ?? 'IfNotPresent',
            args: props.command,
            env,
            restartPolicy: 'Never',
            resources: { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '1Gi' },
            ...(props.serviceAccountName ? { serviceAccountName: props.serviceAccountName } : {}),
          }),
        },
      },
    });
  }
}
