// The deployment part of output run names, computed the same way by the service and by
// `prompt-repo write-init-outputs`: a digest of the pipeline files the configuration names (and this
// package's version, standing for the code that runs them) and a digest of CONFIG_APDB.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { deploymentId } from '../domain/collections';
import type { PipelinesConfig } from '../domain/pipeline-selection';

export function configuredPipelineFiles(...configs: readonly PipelinesConfig[]): string[] {
  return [...new Set(configs.flatMap((config) => config.flatMap((node) => node.pipelines)))].sort();
}

export async function computeDeploymentId(
  configs: readonly PipelinesConfig[],
  apdbConfig: string | undefined,
  packageVersion: string,
): Promise<string> {
  const pipelines = createHash('sha256').update(`prompt-processing ${packageVersion}\n`);
  for (const file of configuredPipelineFiles(...configs)) {
    pipelines.update(`${file}\n`);
    // A file that cannot be read still counts by name: the pipeline will be skipped at run time.
    pipelines.update(await readFile(file).catch(() => Buffer.from('(missing)')));
  }
  const apdb = createHash('sha256').update(apdbConfig ?? '');
  return deploymentId({ pipelinesDigest: pipelines.digest('hex'), apdbConfigDigest: apdb.digest('hex') });
}
