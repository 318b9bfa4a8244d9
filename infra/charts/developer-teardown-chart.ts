// What a developer environment needs on its way out that deleting its objects does not do: the
// instrument's APDB schema lives in the shared Postgres server, outside every namespace. One plain Job
// per instrument (not an Argo CD hook: developer environments are applied by hand) empties it with the
// project's own CLI, from the developer's namespace, with the password from that namespace's Secret.
// Written to dist/developers/<name>/teardown/<instrument>/ by `npm run synth -- --developer <name> --teardown`.

import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import type { Instrument } from '../../service/domain/instruments';
import { apdbResetCommand } from '../constructs/apdb-cli';
import { CliJob } from '../constructs/cli-job';
import { WORKLOAD_SERVICE_ACCOUNT } from '../constructs/instrument-namespace';
import { componentLabels } from '../constructs/names';
import type { Environment } from '../environments/environment';
import { serviceSecretKey } from './instrument-chart';

export const TEARDOWN_FOLDER = 'teardown';
export const APDB_RESET_JOB = 'reset-apdb-schema';

export interface DeveloperTeardownChartProps extends ChartProps {
  readonly environment: Environment;
  readonly instrument: Instrument;
}

export class DeveloperTeardownChart extends Chart {
  public readonly job: CliJob;

  constructor(scope: Construct, id: string, props: DeveloperTeardownChartProps) {
    super(scope, id, { ...props, disableResourceNameHashes: true });
    const { environment: env, instrument } = props;
    if (env.developer === undefined) {
      throw new Error(
        `environment ${env.name} is shared: tear it down through Argo CD (delete its Applications), ` +
          'not with developer teardown Jobs',
      );
    }
    if (!env.instruments.includes(instrument.name)) {
      throw new Error(
        `instrument ${instrument.name} is not deployed to ${env.name}: use one of ${env.instruments.join(', ')}`,
      );
    }
    this.job = new CliJob(this, 'ApdbReset', {
      name: APDB_RESET_JOB,
      namespace: env.namespaceOf(instrument),
      image: `${env.image.repository}:${env.image.tag}`,
      imagePullPolicy: env.image.pullPolicy,
      command: apdbResetCommand(env.apdbSchemaOf(instrument), env.postgres.url),
      secretEnv: { PGPASSWORD: serviceSecretKey(instrument, 'db_password') },
      serviceAccountName: WORKLOAD_SERVICE_ACCOUNT,
      syncHook: false,
      labels: componentLabels({
        component: 'apdb-teardown',
        instrument: instrument.slug,
        environment: env.name,
      }),
    });
  }
}
