// The Argo CD Applications of one environment, written to dist/<environment>/argocd/: one per
// instrument, syncing dist/<environment>/<instrument>/, plus a root Application syncing this folder,
// so after a one-time `kubectl apply` Argo CD manages its own Applications from git. Deleting an
// instrument's Application (or pruning it after the instrument leaves the code) deletes its objects;
// deleting the root one deletes nothing else, so a slip there does not take an environment down.

import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { instrumentByName } from '../../service/domain/instruments';
import { ArgoApplication } from '../constructs/argo-application';
import { PART_OF } from '../constructs/names';
import type { Environment } from '../environments/environment';

export const ARGO_FOLDER = 'argocd';

export interface ArgoChartProps extends ChartProps {
  readonly environment: Environment;
  /** dist/ folder relative to the repository root. @default 'dist' */
  readonly distRoot?: string;
}

export class ArgoChart extends Chart {
  constructor(scope: Construct, id: string, props: ArgoChartProps) {
    super(scope, id, { ...props, disableResourceNameHashes: true });
    const { environment } = props;
    const argo = environment.argo;
    if (!argo) {
      throw new Error(
        `environment ${environment.name} has no Argo CD settings: apply its dist/ folder by hand`,
      );
    }
    const distRoot = props.distRoot ?? 'dist';
    const labels = {
      'app.kubernetes.io/part-of': PART_OF,
      'prompt-processing.lsst.io/environment': environment.name,
    };
    const common = {
      namespace: argo.namespace,
      project: argo.project,
      repoURL: argo.repoURL,
      targetRevision: argo.targetRevision,
      automated: argo.automated,
      labels,
    };
    new ArgoApplication(this, 'Root', {
      ...common,
      name: PART_OF,
      path: `${distRoot}/${environment.distPath}/${ARGO_FOLDER}`,
      destinationNamespace: argo.namespace,
    });
    for (const name of environment.instruments) {
      const instrument = instrumentByName(name);
      new ArgoApplication(this, instrument.name, {
        ...common,
        name: `prompt-proto-service-${instrument.slug}`,
        path: `${distRoot}/${environment.distPath}/${instrument.slug}`,
        destinationNamespace: environment.namespaceOf(instrument),
        cascadeDelete: true,
      });
    }
  }
}
