// Turns environments into manifests: one cdk8s App per environment × instrument (and one for the
// environment's Argo CD Applications), each writing one file per object. The environment's folder is
// emptied first, so an object removed from code disappears from dist/ as well.

import { rmSync } from 'node:fs';
import path from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { instrumentByName } from '../service/domain/instruments';
import { ARGO_FOLDER, ArgoChart } from './charts/argo-chart';
import { DeveloperTeardownChart, TEARDOWN_FOLDER } from './charts/developer-teardown-chart';
import { InstrumentChart } from './charts/instrument-chart';
import { developerEnvironment } from './environments/developer';
import type { Environment } from './environments/environment';
import { USDF_DEV } from './environments/usdf-dev';
import { USDF_PROD } from './environments/usdf-prod';

/** Environments whose output is committed and synced by Argo CD. */
export const SHARED_ENVIRONMENTS: readonly Environment[] = [USDF_DEV, USDF_PROD];

function app(outdir: string): App {
  return new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
}

export interface EnvironmentOptions {
  /** Also build a developer environment's teardown Jobs (dist/developers/<name>/teardown/). */
  readonly teardown?: boolean;
}

/** Builds (without writing) every chart of `environment`, keyed by its output folder. */
export function environmentApps(
  environment: Environment,
  outdir: string,
  options: EnvironmentOptions = {},
): Map<string, App> {
  const apps = new Map<string, App>();
  const root = path.join(outdir, environment.distPath);
  for (const name of environment.instruments) {
    const instrument = instrumentByName(name);
    const folder = path.join(root, instrument.slug);
    const instrumentApp = app(folder);
    new InstrumentChart(instrumentApp, instrument.slug, { environment, instrument });
    apps.set(folder, instrumentApp);
  }
  if (environment.argo) {
    const folder = path.join(root, ARGO_FOLDER);
    const argoApp = app(folder);
    new ArgoChart(argoApp, ARGO_FOLDER, { environment });
    apps.set(folder, argoApp);
  }
  if (options.teardown) {
    for (const name of environment.instruments) {
      const instrument = instrumentByName(name);
      const folder = path.join(root, TEARDOWN_FOLDER, instrument.slug);
      const teardownApp = app(folder);
      new DeveloperTeardownChart(teardownApp, instrument.slug, { environment, instrument });
      apps.set(folder, teardownApp);
    }
  }
  return apps;
}

/** Writes dist/<environment>/… under `outdir`, replacing what was there. */
export function synthesizeEnvironment(
  environment: Environment,
  outdir: string,
  options: EnvironmentOptions = {},
): void {
  const apps = environmentApps(environment, outdir, options);
  rmSync(path.join(outdir, environment.distPath), { recursive: true, force: true });
  for (const built of apps.values()) built.synth();
}

export interface SynthRequest {
  /** Also synthesize this developer's isolated environment. */
  readonly developer?: string;
  /** Image tag for the developer environment. */
  readonly imageTag?: string;
  /** Revision annotation for the developer environment's services (forces a rollout). */
  readonly revision?: string;
  /** Also write the developer environment's teardown Jobs. */
  readonly teardown?: boolean;
}

/** Writes every requested environment under `outdir`; teardown Jobs only for the developer's. */
export function synthesize(request: SynthRequest, outdir: string): void {
  for (const environment of requestedEnvironments(request)) {
    const teardown = request.teardown === true && environment.developer !== undefined;
    synthesizeEnvironment(environment, outdir, { teardown });
  }
}

/** The environments a synth run writes: the shared ones, plus a developer's when asked. */
export function requestedEnvironments(request: SynthRequest): Environment[] {
  if (request.teardown && request.developer === undefined) {
    throw new Error(
      'teardown needs a developer (--developer <name>): shared environments are torn down through Argo CD',
    );
  }
  const environments = [...SHARED_ENVIRONMENTS];
  if (request.developer !== undefined) {
    environments.push(
      developerEnvironment(request.developer, {
        ...(request.imageTag ? { imageTag: request.imageTag } : {}),
        ...(request.revision ? { revision: request.revision } : {}),
      }),
    );
  }
  return environments;
}
