// The daily initializer's work (upstream write_init_outputs), run by `prompt-repo write-init-outputs`
// before the service processes a night: in the central repo, register the day's output chain
// `<INST>/prompt/output-<YYYY-MM-DD>` with the preload run and one run per configured pipeline, every
// output dataset type those pipelines (and the service itself) write, and each pipeline's
// init-outputs: one `<task label>_config` dataset per task and `packages`. Idempotent: a second run on
// the same day finds everything in place and writes nothing.

import { outputChain, outputRun, PRELOAD_RUN_BASENAME } from '../domain/collections';
import type { PipelinesConfig } from '../domain/pipeline-selection';
import { pipelineBasename } from '../domain/pipeline-selection';
import { datasetTypeDefinition } from '../domain/repo/dataset-type';
import { loadPipelineGraph } from '../pipeline/engine/load-pipeline';
import type { PipelineGraph } from '../pipeline/engine/pipeline-graph';
import type { TaskRegistry } from '../pipeline/engine/task-registry';
import type { Repo } from '../repo/repo';
import { typedJsonCodec } from '../repo/storage-codecs';
import { configuredPipelineFiles } from './deployment-id';

/** Dataset types the service writes itself, whatever the pipelines. */
const SERVICE_OUTPUTS = [
  { name: 'raw', dimensions: ['instrument', 'detector', 'exposure'], storageClass: 'Raw' },
  { name: 'region_time_info', dimensions: ['instrument', 'group', 'detector'], storageClass: 'DataFrame' },
] as const;

export interface InitOutputsRequest {
  readonly central: Repo;
  readonly instrument: string;
  readonly configs: readonly PipelinesConfig[];
  readonly tasks: TaskRegistry;
  readonly deployment: string;
  readonly packageVersion: string;
  /** The processing instant the chain is dated by (TAI Unix seconds). */
  readonly processingTai: number;
}

export interface InitOutputsReport {
  readonly chain: string;
  readonly runs: readonly string[];
  readonly datasetTypes: readonly string[];
  readonly initOutputsWritten: number;
  /** Pipeline files that could not be built, with the reason; their runs are still registered. */
  readonly unbuildable: ReadonlyArray<{ readonly file: string; readonly reason: string }>;
}

async function putOnce(central: Repo, datasetType: string, run: string, value: unknown): Promise<boolean> {
  const existing = await central.registry.queryDatasets({ datasetType, collections: [run] });
  if (existing.length > 0) return false;
  await central.put(datasetType, {}, run, typedJsonCodec.encode(value), typedJsonCodec.extension);
  return true;
}

async function writeInitOutputsOf(central: Repo, graph: PipelineGraph, run: string, version: string) {
  let written = 0;
  for (const task of graph.tasks) {
    const name = `${task.label}_config`;
    await central.registry.registerDatasetType(
      datasetTypeDefinition({ name, dimensions: [], storageClass: 'Config' }),
    );
    if (await putOnce(central, name, run, { task: task.task.name, config: task.config })) written++;
  }
  await central.registry.registerDatasetType(
    datasetTypeDefinition({ name: 'packages', dimensions: [], storageClass: 'Packages' }),
  );
  if (await putOnce(central, 'packages', run, { 'prompt-processing': version })) written++;
  return written;
}

export async function writeInitOutputs(request: InitOutputsRequest): Promise<InitOutputsReport> {
  const { central } = request;
  const chain = outputChain(request.instrument, request.processingTai);
  const preloadRun = outputRun(chain, PRELOAD_RUN_BASENAME, request.deployment);
  const types = new Set<string>();
  const runs = [preloadRun];
  const unbuildable: Array<{ file: string; reason: string }> = [];
  let initOutputsWritten = 0;
  for (const definition of SERVICE_OUTPUTS) {
    await central.registry.registerDatasetType(
      datasetTypeDefinition({ ...definition, dimensions: [...definition.dimensions] }),
    );
    types.add(definition.name);
  }
  await central.registry.registerCollection(preloadRun, 'RUN');
  for (const file of configuredPipelineFiles(...request.configs)) {
    const run = outputRun(chain, pipelineBasename(file), request.deployment);
    await central.registry.registerCollection(run, 'RUN');
    if (!runs.includes(run)) runs.push(run);
    let graph: PipelineGraph;
    try {
      graph = await loadPipelineGraph(file, request.tasks);
    } catch (error) {
      unbuildable.push({ file, reason: (error as Error).message });
      continue;
    }
    for (const type of graph.datasetTypes.values()) {
      if (type.producer === undefined) continue;
      await central.registry.registerDatasetType(
        datasetTypeDefinition({
          name: type.name,
          dimensions: [...type.dimensions],
          storageClass: type.storageClass,
        }),
      );
      types.add(type.name);
    }
    initOutputsWritten += await writeInitOutputsOf(central, graph, run, request.packageVersion);
  }
  await central.registry.registerCollection(chain, 'CHAINED');
  // Newest pipeline runs first, then the preload run, as upstream's chain reads.
  await central.registry.setChain(chain, [...runs.slice(1).reverse(), preloadRun]);
  return { chain, runs, datasetTypes: [...types].sort(), initOutputsWritten, unbuildable };
}
