// Running a built graph for one quantum: tasks in topological order, inputs from earlier tasks or the
// repository, outputs checked against their storage classes and written as datasets into the run.
// The AbortSignal is honoured between tasks (and passed to each task); every task is timed.

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
  readonly dataId: DataId;
  readonly store: DatasetStore;
  /** The run (output collection) outputs are written into. */
  readonly run: string;
  readonly signal?: AbortSignal;
  /** Milliseconds clock for task timings (default performance.now). */
  readonly now?: () => number;
}

export interface TaskTiming {
  readonly label: string;
  readonly task: string;
  /** When the task started, after the execution's start (its inputs are read before). */
  readonly startMilliseconds: number;
  readonly milliseconds: number;
}

export interface ExecutionReport {
  readonly file: string;
  readonly run: string;
  readonly tasks: readonly TaskTiming[];
  readonly outputs: readonly DatasetRef[];
  readonly totalMilliseconds: number;
  /** Wall-clock start of the execution (Unix ms), so task times can be placed on a timeline. */
  readonly startedAtUnixMs: number;
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
  const produced = new Map<string, unknown>();
  const timings: TaskTiming[] = [];
  const outputs: DatasetRef[] = [];
  const start = now();
  const startedAtUnixMs = Date.now();
  for (const node of graph.tasks) {
    if (signal.aborted) {
      throw new PipelineAbortedError(
        file,
        timings.map((t) => t.label),
        signal.reason,
      );
    }
    const inputs = await gatherInputs(graph, node, produced, options);
    const t0 = now();
    let result: TaskOutputs;
    try {
      result = await node.task.run(inputs, node.overrides, { dataId: options.dataId, signal });
    } catch (error) {
      throw new PipelineExecutionError(file, node.label, `failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    timings.push({
      label: node.label,
      task: node.task.name,
      startMilliseconds: t0 - start,
      milliseconds: now() - t0,
    });
    for (const ref of await writeOutputs(graph, node, result, produced, options)) outputs.push(ref);
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

async function gatherInputs(
  graph: PipelineGraph,
  node: TaskNode,
  produced: ReadonlyMap<string, unknown>,
  options: ExecutionOptions,
): Promise<Map<string, unknown>> {
  const inputs = new Map<string, unknown>();
  for (const [connection, name] of node.inputs) {
    if (produced.has(name)) {
      inputs.set(connection, produced.get(name));
      continue;
    }
    const datasetType = graph.datasetTypes.get(name);
    if (datasetType === undefined || datasetType.producer !== undefined) {
      throw new PipelineExecutionError(
        graph.file,
        node.label,
        `input ${name} was not produced by an earlier task`,
      );
    }
    const ref = { datasetType: name, dataId: restrictDataId(options.dataId, datasetType.dimensions) };
    const multiple = node.task.inputs[connection]?.multiple === true;
    const value = multiple ? await getAll(options.store, ref) : await options.store.get(ref);
    if (value === undefined) {
      if (node.task.inputs[connection]?.optional === true) continue;
      throw new PipelineExecutionError(
        graph.file,
        node.label,
        `input ${name} ${JSON.stringify(ref.dataId)} is not in the repository (check missing inputs before executing)`,
      );
    }
    const values: readonly unknown[] = multiple ? (value as unknown[]) : [value];
    if (!values.every((v) => hasStorageClass(v, datasetType.storageClass))) {
      throw new PipelineExecutionError(
        graph.file,
        node.label,
        `input ${name} in the repository is not a ${datasetType.storageClass}`,
      );
    }
    inputs.set(connection, value);
  }
  return inputs;
}

/** Every match as an array, or undefined when there is none (so a required input is reported missing). */
async function getAll(store: DatasetStore, ref: DatasetRef): Promise<unknown[] | undefined> {
  const values = store.getAll
    ? await store.getAll(ref)
    : [await store.get(ref)].filter((v) => v !== undefined);
  return values.length > 0 ? values : undefined;
}

async function writeOutputs(
  graph: PipelineGraph,
  node: TaskNode,
  result: TaskOutputs,
  produced: Map<string, unknown>,
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
    const unknown = unknownDimensions(options.dataId, datasetType.dimensions);
    if (unknown.length > 0) {
      throw new PipelineExecutionError(
        graph.file,
        node.label,
        `output ${name} needs dimension${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}, which the data ID does not give`,
      );
    }
    const ref = { datasetType: name, dataId: restrictDataId(options.dataId, datasetType.dimensions) };
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
    produced.set(name, value);
    refs.push(ref);
  }
  return refs;
}
