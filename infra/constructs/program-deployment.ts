// A one-replica Deployment running one of the project's programs (fan-out, bridge) under the
// restricted pod spec, labelled as its component. Shared so both get the same shape.
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { type ComponentLabels, componentLabels, selectorLabels } from './names';
import { type RestrictedPodProps, restrictedPodSpec } from './restricted-pod';

export interface ProgramDeploymentProps extends RestrictedPodProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: ComponentLabels;
  /** 'Recreate' where two pods must never run at once. @default - rolling update */
  readonly strategy?: 'Recreate';
}

/** Adds the Deployment as `scope`'s primary child (id `Resource`). */
export function programDeployment(scope: Construct, props: ProgramDeploymentProps): k8s.KubeDeployment {
  const { name, namespace, labels, strategy, ...pod } = props;
  return new k8s.KubeDeployment(scope, 'Resource', {
    metadata: { name, namespace, labels: componentLabels(labels) },
    spec: {
      replicas: 1,
      ...(strategy ? { strategy: { type: strategy } } : {}),
      selector: { matchLabels: selectorLabels(labels) },
      template: {
        metadata: { labels: componentLabels(labels) },
        spec: restrictedPodSpec(pod),
      },
    },
  });
}
