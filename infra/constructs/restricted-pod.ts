// The pod every Deployment and Job of ours runs: one container of the service image running one of
// the project's commands, non-root, without privilege escalation or capabilities, on a read-only
// root filesystem with a small writable /tmp, and with no Kubernetes API token (none calls the API).

import { k8s } from 'cdk8s-plus-27';
import type { EnvVar } from './container-env';

export const RESTRICTED_CONTAINER: k8s.SecurityContext = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

const RESTRICTED_POD: k8s.PodSecurityContext = {
  runAsNonRoot: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

/** CPU and memory, as request and limit. */
export interface PodResources {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

export interface RestrictedPodProps {
  readonly containerName: string;
  readonly image: string;
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent';
  /**
   * The program (a bin on the image's PATH) and its arguments. Rendered as container `args`, not
   * `command`, so the image's entrypoint (tini) stays PID 1 and forwards SIGTERM.
   */
  readonly args: readonly string[];
  readonly env: readonly EnvVar[];
  readonly resources: PodResources;
  readonly serviceAccountName?: string;
  /** 'Never' for Jobs. @default - the Deployment default */
  readonly restartPolicy?: 'Never';
  readonly ports?: k8s.ContainerPort[];
  readonly readinessProbe?: k8s.Probe;
}

export function restrictedPodSpec(props: RestrictedPodProps): k8s.PodSpec {
  const q = (value: string) => k8s.Quantity.fromString(value);
  const { resources } = props;
  return {
    ...(props.restartPolicy ? { restartPolicy: props.restartPolicy } : {}),
    ...(props.serviceAccountName ? { serviceAccountName: props.serviceAccountName } : {}),
    automountServiceAccountToken: false,
    securityContext: RESTRICTED_POD,
    containers: [
      {
        name: props.containerName,
        image: props.image,
        imagePullPolicy: props.imagePullPolicy ?? 'IfNotPresent',
        args: [...props.args],
        env: [...props.env],
        ...(props.ports ? { ports: props.ports } : {}),
        ...(props.readinessProbe ? { readinessProbe: props.readinessProbe } : {}),
        resources: {
          requests: { cpu: q(resources.cpuRequest), memory: q(resources.memoryRequest) },
          limits: { cpu: q(resources.cpuLimit), memory: q(resources.memoryLimit) },
        },
        securityContext: RESTRICTED_CONTAINER,
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    ],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: q('256Mi') } }],
  };
}
