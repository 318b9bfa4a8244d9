// A reader's summary of what the cdk8s app generates: per environment and instrument, the namespace,
// the Knative service, the Kafka topics, the APDB schema and how many objects of each kind. Built
// from the same charts `npm run synth` writes, in memory, so it never disagrees with dist/.

import { tmpdir } from 'node:os';
import type { ApiObject, App } from 'cdk8s';
import { instrumentByName } from '../service/domain/instruments';
import type { Environment } from './environments/environment';
import { environmentApps } from './synthesize';

export interface InstrumentSummary {
  readonly instrument: string;
  readonly namespace: string;
  readonly apdbSchema: string;
  readonly knativeService: string | undefined;
  readonly kafkaTopics: readonly string[];
  /** Object count per kind, e.g. { Deployment: 2, KafkaTopic: 3 }. */
  readonly kinds: Readonly<Record<string, number>>;
}

export interface EnvironmentSummary {
  readonly environment: string;
  readonly imageTag: string;
  readonly argoApplications: number;
  readonly instruments: readonly InstrumentSummary[];
}

function objectsOf(app: App): ApiObject[] {
  return app.charts.flatMap((chart) => chart.node.findAll().filter((c): c is ApiObject => 'apiVersion' in c));
}

export function summarizeEnvironment(environment: Environment): EnvironmentSummary {
  const apps = [...environmentApps(environment, tmpdir()).entries()];
  const instruments: InstrumentSummary[] = [];
  let argoApplications = 0;
  for (const [folder, app] of apps) {
    const objects = objectsOf(app);
    const slug = folder.split(/[\\/]/).pop() ?? '';
    const name = environment.instruments.find((n) => instrumentByName(n).slug === slug);
    if (!name) {
      argoApplications += objects.filter((o) => o.kind === 'Application').length;
      continue;
    }
    const instrument = instrumentByName(name);
    const kinds: Record<string, number> = {};
    for (const o of objects) kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
    instruments.push({
      instrument: name,
      namespace: environment.namespaceOf(instrument),
      apdbSchema: environment.apdbSchemaOf(instrument),
      knativeService: objects.find(
        (o) => o.kind === 'Service' && o.apiVersion.startsWith('serving.knative.dev'),
      )?.name,
      kafkaTopics: objects.filter((o) => o.kind === 'KafkaTopic').map((o) => o.name),
      kinds,
    });
  }
  return { environment: environment.name, imageTag: environment.image.tag, argoApplications, instruments };
}
