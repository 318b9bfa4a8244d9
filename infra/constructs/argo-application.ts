// An Argo CD Application that syncs one folder of this repository's committed dist/ into a cluster.
// Shared dev syncs automatically (prune and self-heal, so the cluster matches the reviewed diff);
// production waits for a person to press sync.

import { Construct } from 'constructs';
import { Application } from '../imports/argocd-argoproj.io';
import { assertDnsLabel } from './names';

export const IN_CLUSTER = 'https://kubernetes.default.svc';
/** Argo CD deletes an Application's objects before the Application itself when this is present. */
export const CASCADE_FINALIZER = 'resources-finalizer.argocd.argoproj.io';

export interface ArgoApplicationProps {
  readonly name: string;
  /** Namespace Argo CD runs in. */
  readonly namespace: string;
  readonly project: string;
  readonly repoURL: string;
  readonly targetRevision: string;
  /** Folder in the repository (`dist/usdf-prompt-processing-dev/latiss`). */
  readonly path: string;
  /** Namespace objects without one land in. */
  readonly destinationNamespace: string;
  /** Sync on every commit, prune what was removed, undo manual edits. */
  readonly automated: boolean;
  /**
   * Deleting the Application deletes what it synced (the namespace included), so removing an
   * instrument from the code removes it from the cluster instead of orphaning it. @default false
   */
  readonly cascadeDelete?: boolean;
  /** @default IN_CLUSTER */
  readonly destinationServer?: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
}

export class ArgoApplication extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ArgoApplicationProps) {
    super(scope, id);
    if (props.path.startsWith('/') || props.path.includes('..')) {
      throw new Error(`application path "${props.path}" must be relative to the repository root`);
    }
    this.name = assertDnsLabel(props.name, 'application name');
    new Application(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: props.namespace,
        labels: props.labels ?? {},
        ...(props.cascadeDelete ? { finalizers: [CASCADE_FINALIZER] } : {}),
      },
      spec: {
        project: props.project,
        source: { repoUrl: props.repoURL, targetRevision: props.targetRevision, path: props.path },
        destination: { server: props.destinationServer ?? IN_CLUSTER, namespace: props.destinationNamespace },
        syncPolicy: {
          ...(props.automated ? { automated: { prune: true, selfHeal: true } } : {}),
          // Server-side diffing keeps Knative's defaulted fields from showing as drift.
          syncOptions: ['ServerSideApply=true', 'PruneLast=true'],
          retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
        },
      },
    });
  }
}
