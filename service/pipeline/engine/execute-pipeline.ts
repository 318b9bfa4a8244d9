// Running a built graph for one visit of one detector: tasks in topological order, inputs from earlier
// tasks or the repository, outputs checked against their storage classes and written as datasets into
// the run. A task whose outputs have the `exposure` dimension (ISR) runs once per exposure of the visit
// (its snaps); a visit-level task reads such a dataset type through a `multiple` connection (all
// snaps, in exposure order) or, when the visit has one exposure, through a plain one.
// The AbortSignal is honoured between quanta (and passed to each task); every task is timed.

import type { DataId, DatasetRef, DatasetStore } from '../../ports/dataset-repository';
import { restrictDataId, unknownDimensions } from './dimensions';
import {
  PipelineAbortedError,
  PipelineExecutionError,
  PipelineGraphError,
  TaskNotImplementedError,
} from './errors';
import type { PipelineGraph, TaskNode } from './pipeline-graph';
import { hasStorageClass } from './storage-classes';
import type { TaskOutputs } from './task';

export interface ExecutionOptions {
  /** The visit's data ID; its `exposure` is the first exposure (and the visit id, one-to-one). */
  readonly dataId: DataId;
  /**
   * Every exposure of the visit, in order. @default - the data ID's exposure alone (or none)
   */
  readonly exposures?: readonly number[];
  readonly store: DatasetStore;
  /** The run (output collection) outputs are written into. */
  readonly run: string;
  readonly signal?: AbortSignal;
  /** Milliseconds clock for task timings (default performance.now). */
  readonly now?: () => number;
  /**
   * Which outputs are written into the run. The others are handed to later tasks in memory only:
   * the service persists just what it exports, since the local repo goes when the visit ends.
   * @default every output
   */
  readonly persist?: (datasetType: string) => boolean;
}

export interface TaskTiming {
  readonly label: string;
  readonly task: string;
  /** When the task started, after the execution's start (its inputs are read before). */
  readonly startMilliseconds: number;
  /** Summed over the task's quanta (one per exposure for exposure-level tasks). */
  readonly milliseconds: number;
}

export interface ExecutionReport {
  readonly file: string;
  readonly run: string;
  readonly tasks: readonly TaskTiming[];
  /** The outputs written into the run (see ExecutionOptions.persist), in the order written. */
  readonly outputs: readonly DatasetRef[];
  readonly totalMilliseconds: number;
  /** Wall-clock start of the execution (Unix ms), so task times can be placed on a timeline. */
  readonly startedAtUnixMs: number;
}

/** Key of a visit-level value among a dataset type's produced values. */
const VISIT = 'visit';
/** What earlier tasks wrote, per dataset type: one value per exposure, or one for the visit. */
type Produced = Map<string, Map<number | typeof VISIT, unknown>>;

/** The visit's exposures: given, else the data ID's exposure, else none (no exposure dimension). */
export function exposuresOf(dataId: DataId, exposures: readonly number[] | undefined): readonly number[] {
  if (exposures !== undefined && exposures.length > 0) return exposures;
  return typeof dataId.exposure === 'number' ? [dataId.exposure] : [];
}

/** An exposure-level task: one of its outputs has the exposure dimension. */
export function runsPerExposure(graph: PipelineGraph, node: TaskNode): boolean {
  return [...node.outputs.values()].some((name) =>
    graph.datasetTypes.get(name)?.dimensions.includes('exposure'),
  );
}

interface Quantum {
  readonly dataId: DataId;
  /** The exposure this quantum is for; undefined for a visit-level quantum. */
  readonly exposure?: number;
}

function quantaOf(
  graph: PipelineGraph,
  node: TaskNode,
  dataId: DataId,
  exposures: readonly number[],
): Quantum[] {
  if (!runsPerExposure(graph, node) || exposures.length === 0) return [{ dataId }];
  return exposures.map((exposure) => ({ dataId: { ...dataId, exposure }, exposure }));
}

export async function executePipeline(
  graph: PipelineGraph,
  options: ExecutionOptions,
): Promise<ExecutionReport> {
  const { file } = graph;
  if (graph.tasks.length === 0) throw new PipelineGraphError(file, 'has no tasks: nothing to run');
  if (graph.unimplementedTasks.length > 0) throw new TaskNotImplementedError(file, graph.unimplementedTasks);
  const now = options.now ?? (() => performance.now());
  const signal = options.signal ?? new AbortController().signal;
  const exposures = exposuresOf(options.dataId, options.exposures);
  const produced: Produced = new Map();
  const timings: TaskTiming[] = [];
  const outputs: DatasetRef[] = [];
  const start = now();
  const startedAtUnixMs = Date.now();
  for (const node of graph.tasks) {
    let milliseconds = 0;
    let startMilliseconds: number | undefined;
    for (const quantum of quantaOf(graph, node, options.dataId, exposures)) {
      if (signal.aborted) {
        throw new PipelineAbortedError(
          file,
          timings.map((t) => t.label),
          signal.reason,
        );
      }
      const inputs = await gatherInputs(graph, node, produced, quantum, exposures, options.store);
      const t0 = now();
      startMilliseconds ??= t0 - start;
      let result: TaskOutputs;
      try {
        result = await node.task.run(inputs, node.overrides, { dataId: quantum.dataId, signal });
      } catch (error) {
        throw new PipelineExecutionError(file, node.label, `failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      milliseconds += now() - t0;
      for (const ref of await writeOutputs(graph, node, result, produced, quantum, options))
        outputs.push(ref);
    }
    timings.push({
      label: node.label,
      task: node.task.name,
      startMilliseconds: startMilliseconds ?? now() - start,
      milliseconds,
    });
  }
  return {
    file,
    run: options.run,
    tasks: timings,
    outputs,
    totalMilliseconds: now() - start,
    startedAtUnixMs,
  };
}

/** Where one input's values come from: earlier tasks, or the repository under these data IDs. */
function inputSources(
  graph: PipelineGraph,
  node: TaskNode,
  name: string,
  produced: Produced,
  quantum: Quantum,
  exposures: readonly number[],
): { values: unknown[] } | { dataIds: DataId[] } {
  const earlier = produced.get(name);
  if (earlier !== undefined) {
    const single = earlier.get(quantum.exposure ?? VISIT) ?? earlier.get(VISIT);
    if (quantum.exposure !== undefined || earlier.has(VISIT)) return { values: [single] };
    return { values: exposures.map((e) => earlier.get(e)) };
  }
  const datasetType = graph.datasetTypes.get(name);
  if (datasetType === undefined || datasetType.producer !== undefined) {
    throw new PipelineExecutionError(
      graph.file,
      node.label,
      `input ${name} was not produced by an earlier task`,
    );
  }
  const perExposure =
    quantum.exposure === undefined && datasetType.dimensions.includes('exposure') && exposures.length > 1;
  const dataIds = perExposure
    ? exposures.map((exposure) => ({ ...quantum.dataId, exposure }))
    : [quantum.dataId];
  return { dataIds: dataIds.map((id) => restrictDataId(id, datasetType.dimensions)) };
}

async function gatherInputs(
  graph: PipelineGraph,
  node: TaskNode,
  produced: Produced,
  quantum: Quantum,
  exposures: readonly number[],
  store: DatasetStore,
): Promise<Map<string, unknown>> {
  const inputs = new Map<string, unknown>();
  for (const [connection, name] of node.inputs) {
    const spec = node.task.inputs[connection];
    const source = inputSources(graph, node, name, produced, quantum, exposures);
    let values: unknown[];
    if ('values' in source) {
      values = source.values;
    } else {
      values = [];
      // one data ID: a multiple connection takes every match (patches); one per snap: the first each
      const all = spec?.multiple === true && source.dataIds.length === 1;
      for (const dataId of source.dataIds) {
        const ref = { datasetType: name, dataId };
        const found = all ? await getAll(store, ref) : [await store.get(ref)].filter((v) => v !== undefined);
        if (found.length === 0) {
          if (spec?.optional === true) continue;
          throw new PipelineExecutionError(
            graph.file,
            node.label,
            `input ${name} ${JSON.stringify(dataId)} is not in the repository (check missing inputs before executing)`,
          );
        }
        values.push(...found);
      }
      if (values.length === 0) continue;
    }
    const storageClass = graph.datasetTypes.get(name)?.storageClass;
    for (const value of values) {
      if (storageClass === undefined || !hasStorageClass(value, storageClass)) {
        throw new PipelineExecutionError(graph.file, node.label, `input ${name} is not a ${storageClass}`);
      }
    }
    if (spec?.multiple === true) inputs.set(connection, values);
    else if (values.length === 1) inputs.set(connection, values[0]);
    else {
      throw new PipelineExecutionError(
        graph.file,
        node.label,
        `input ${name} has ${values.length} exposures (snaps) but connection ${connection} takes one: combine the snaps first (combineSnaps)`,
      );
    }
  }
  return inputs;
}

/** Every match (a store without getAll serves its first). */
async function getAll(store: DatasetStore, ref: DatasetRef): Promise<unknown[]> {
  if (store.getAll) return store.getAll(ref);
  return [await store.get(ref)].filter((v) => v !== undefined);
}

async function writeOutputs(
  graph: PipelineGraph,
  node: TaskNode,
  result: TaskOutputs,
  produced: Produced,
  quantum: Quantum,
  options: ExecutionOptions,
): Promise<DatasetRef[]> {
  for (const key of Object.keys(result)) {
    if (!node.outputs.has(key)) {
      throw new PipelineExecutionError(
        graph.file,
        node.label,
        `returned output '${key}', which it does not declare`,
      );
    }
  }
  const refs: DatasetRef[] = [];
  for (const [connection, name] of node.outputs) {
    const datasetType = graph.datasetTypes.get(name);
    const value = result[connection];
    if (datasetType === undefined) continue;
    if (!hasStorageClass(value, datasetType.storageClass)) {
      throw new PipelineExecutionError(
        graph.file,
        node.label,
        `output ${connection} (${name}) is ${value === undefined ? 'missing' : 'not'} a ${datasetType.storageClass}`,
      );
    }
    const unknown = unknownDimensions(quantum.dataId, datasetType.dimensions);
    if (unknown.length > 0) {
      throw new PipelineExecutionError(
        graph.file,
        node.label,
        `output ${name} needs dimension${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}, which the data ID does not give`,
      );
    }
    const ref = { datasetType: name, dataId: restrictDataId(quantum.dataId, datasetType.dimensions) };
    const values = produced.get(name) ?? new Map();
    values.set(quantum.exposure ?? VISIT, value);
    produced.set(name, values);
    if (options.persist && !options.persist(name)) continue;
    try {
      await options.store.put(options.run, ref, datasetType.storageClass, value);
    } catch (error) {
      throw new PipelineExecutionError(
        graph.file,
        node.label,
        `writing ${name} failed: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    refs.push(ref);
  }
  return refs;
}
