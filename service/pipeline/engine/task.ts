// What a pipeline task is to the engine: a declaration (registry name, typed config schema, named
// input and output connections with storage classes) and, once someone provides it, a run function.
// Declarations alone are enough to build and validate a pipeline graph.

import type { z } from 'zod';
import type { DataId } from '../../ports/dataset-repository';
import { hasStorageClass, type StorageClassName, type StorageClassTypes } from './storage-classes';

export interface ConnectionSpec {
  readonly storageClass: StorageClassName;
  /** An optional input may be absent from the repository; the task then runs without it. */
  readonly optional?: boolean;
  /**
   * The task gets every repository dataset matching the quantum's data ID, as an array (upstream's
   * `multiple=True`): e.g. all template patches overlapping the detector.
   */
  readonly multiple?: boolean;
}

export interface TaskDeclaration<Config> {
  /** The name pipelines use in `task:`. */
  readonly name: string;
  readonly summary: string;
  /** A strict zod object with defaults: YAML `config:` overrides are parsed by it. */
  readonly config: z.ZodType<Config>;
  readonly inputs: Readonly<Record<string, ConnectionSpec>>;
  readonly outputs: Readonly<Record<string, ConnectionSpec>>;
}

export interface TaskContext {
  /** The quantum's data ID (instrument, exposure/visit, detector, ...). */
  readonly dataId: DataId;
  readonly signal: AbortSignal;
}

/** Inputs by connection name; optional inputs that were not found are absent. */
export type TaskInputs = ReadonlyMap<string, unknown>;
/** Outputs by connection name. */
export type TaskOutputs = Readonly<Record<string, unknown>>;

export type TaskRun<Config> = (
  inputs: TaskInputs,
  config: Config,
  context: TaskContext,
) => Promise<TaskOutputs> | TaskOutputs;

/** A task's own inputs are checked by the engine; this only narrows them for the task's code. */
export function requiredInput<K extends StorageClassName>(
  inputs: TaskInputs,
  connection: string,
  storageClass: K,
): StorageClassTypes[K] {
  const value = inputs.get(connection);
  if (!hasStorageClass(value, storageClass)) {
    throw new TypeError(`input ${connection} is missing or is not a ${storageClass}`);
  }
  return value;
}

export function optionalInput<K extends StorageClassName>(
  inputs: TaskInputs,
  connection: string,
  storageClass: K,
): StorageClassTypes[K] | undefined {
  return inputs.has(connection) ? requiredInput(inputs, connection, storageClass) : undefined;
}
