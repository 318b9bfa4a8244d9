// Synthesizes charts in memory for tests.

import { Testing } from 'cdk8s';
import { ArgoChart } from '../../../infra/charts/argo-chart';
import { DeveloperTeardownChart } from '../../../infra/charts/developer-teardown-chart';
import { InstrumentChart } from '../../../infra/charts/instrument-chart';
import type { Environment } from '../../../infra/environments/environment';
import { type InstrumentName, instrumentByName } from '../../../service/domain/instruments';
import type { Manifest } from './manifest-validator';

export type SynthManifest = Manifest & {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  // Tests walk into spec fields by path.
  // biome-ignore lint/suspicious/noExplicitAny: synthesized YAML is untyped; field asserts index into it
  readonly spec?: any;
};

export function synthInstrument(environment: Environment, instrument: InstrumentName): SynthManifest[] {
  const chart = new InstrumentChart(Testing.app(), 'test', {
    environment,
    instrument: instrumentByName(instrument),
  });
  return Testing.synth(chart) as SynthManifest[];
}

export function synthArgo(environment: Environment): SynthManifest[] {
  return Testing.synth(new ArgoChart(Testing.app(), 'argo', { environment })) as SynthManifest[];
}

export function synthTeardown(environment: Environment, instrument: InstrumentName): SynthManifest[] {
  const chart = new DeveloperTeardownChart(Testing.app(), 'teardown', {
    environment,
    instrument: instrumentByName(instrument),
  });
  return Testing.synth(chart) as SynthManifest[];
}

/** Everything `npm run synth` writes for the environment (a developer's teardown Jobs included). */
export function synthEnvironment(environment: Environment): SynthManifest[] {
  return [
    ...environment.instruments.flatMap((name) => synthInstrument(environment, name)),
    ...(environment.argo ? synthArgo(environment) : []),
    ...(environment.developer
      ? environment.instruments.flatMap((name) => synthTeardown(environment, name))
      : []),
  ];
}

export function findObject(manifests: readonly SynthManifest[], kind: string, name: string): SynthManifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found)
    throw new Error(
      `no ${kind} ${name} among ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`,
    );
  return found;
}
