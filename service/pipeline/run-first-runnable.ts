// Pipeline fallback, as upstream's `_try_pipelines`: the configured pipelines are tried in order and
// the first that can run is executed. A pipeline is skipped only before execution — when its file
// cannot be read or built, its graph is empty, a task is declared but not implemented, or a required
// input is missing from the repository (ApPipe without a template). Once execution starts, a failure
// is final: no fallback, because outputs may already be written.

import type { DataId, DatasetStore } from '../ports/dataset-repository';
import { PipelineDefinitionError, PipelineGraphError } from './engine/errors';
import { type ExecutionReport, executePipeline } from './engine/execute-pipeline';
import { describeMissing, findMissingInputs } from './engine/missing-inputs';
import type { PipelineGraph } from './engine/pipeline-graph';

export interface SkippedPipeline {
  readonly file: string;
  readonly reason: string;
}

/** No configured pipeline can run for this quantum (upstream's NoGoodPipelinesError). */
export class NoRunnablePipelineError extends Error {
  override readonly name = 'NoRunnablePipelineError';
  constructor(readonly skipped: readonly SkippedPipeline[]) {
    super(
      skipped.length === 0
        ? 'no pipelines are configured for this visit: configure at least one'
        : `none of the pipelines can run: ${skipped.map((s) => `${s.file}: ${s.reason}`).join(' | ')}`,
    );
  }
}

export interface PipelineChoiceOptions {
  /** Pipeline files in fallback order. */
  readonly files: readonly string[];
  readonly load: (file: string) => Promise<PipelineGraph>;
  readonly store: DatasetStore;
  readonly dataId: DataId;
  /** Every exposure (snap) of the visit. @default - the data ID's exposure alone */
  readonly exposures?: readonly number[];
}

export interface PipelineChoice {
  readonly graph: PipelineGraph;
  readonly skipped: readonly SkippedPipeline[];
}

/** The first pipeline that can run, and why the ones before it cannot; throws when none can. */
export async function chooseRunnablePipeline(options: PipelineChoiceOptions): Promise<PipelineChoice> {
  const skipped: SkippedPipeline[] = [];
  for (const file of options.files) {
    const reason = await whyNotRunnable(file, options);
    if (typeof reason === 'string') skipped.push({ file, reason });
    else return { graph: reason, skipped };
  }
  throw new NoRunnablePipelineError(skipped);
}

/** The graph when the pipeline can run, otherwise the reason it cannot. */
async function whyNotRunnable(file: string, options: PipelineChoiceOptions): Promise<PipelineGraph | string> {
  let graph: PipelineGraph;
  try {
    graph = await options.load(file);
  } catch (error) {
    if (error instanceof PipelineDefinitionError || error instanceof PipelineGraphError) return error.message;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return `file not found`;
    throw error;
  }
  if (graph.tasks.length === 0) return 'the graph is empty';
  if (graph.unimplementedTasks.length > 0) {
    return `tasks declared but not implemented yet: ${graph.unimplementedTasks.join(', ')}`;
  }
  const { missing } = await findMissingInputs(graph, options.dataId, options.store, options.exposures);
  if (missing.length > 0) return `missing inputs: ${describeMissing(missing)}`;
  return graph;
}

export interface RunOptions extends PipelineChoiceOptions {
  /** The output run for a pipeline (upstream: `<chain>/<PipelineBasename>/<deployment>`). */
  readonly runFor: (graph: PipelineGraph) => string;
  readonly signal?: AbortSignal;
  /** Which outputs are written (see ExecutionOptions.persist). @default every output */
  readonly persist?: (datasetType: string) => boolean;
}

export interface RunOutcome {
  readonly report: ExecutionReport;
  readonly skipped: readonly SkippedPipeline[];
}

/** Chooses before executing; errors from execution propagate unchanged (no fallback after start). */
export async function runFirstRunnablePipeline(options: RunOptions): Promise<RunOutcome> {
  const { graph, skipped } = await chooseRunnablePipeline(options);
  const report = await executePipeline(graph, {
    dataId: options.dataId,
    ...(options.exposures ? { exposures: options.exposures } : {}),
    store: options.store,
    run: options.runFor(graph),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.persist ? { persist: options.persist } : {}),
  });
  return { report, skipped };
}
