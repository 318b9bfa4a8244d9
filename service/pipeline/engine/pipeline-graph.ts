// Building a pipeline's graph: every task resolved in the registry with its config parsed, every
// connection checked against the task's declaration (names and storage classes), every input traced
// to a producer or to the pipeline's repository inputs, and the tasks put in topological order.

import type { Dimension } from './dimensions';
import { PipelineDefinitionError, PipelineGraphError } from './errors';
import type { PipelineDefinition, TaskEntry } from './pipeline-file';
import type { StorageClassName } from './storage-classes';
import type { RegisteredTask, TaskRegistry } from './task-registry';

export interface DatasetTypeNode {
  readonly name: string;
  readonly dimensions: readonly Dimension[];
  readonly storageClass: StorageClassName;
  readonly calibration: boolean;
  /** Label of the task that writes it; undefined for a repository input. */
  readonly producer?: string;
}

export interface TaskNode {
  readonly label: string;
  readonly task: RegisteredTask;
  /** The YAML overrides (the task parses them into its full config when it runs). */
  readonly overrides: Readonly<Record<string, unknown>>;
  /** The full config after overrides: what the run will use, for provenance. */
  readonly config: unknown;
  /** Connection name → dataset type name. */
  readonly inputs: ReadonlyMap<string, string>;
  readonly outputs: ReadonlyMap<string, string>;
}

export interface RepositoryInputNode {
  readonly datasetType: DatasetTypeNode;
  /** False when every task reading it declares the connection optional. */
  readonly required: boolean;
}

export interface PipelineGraph {
  readonly file: string;
  readonly instrument: string;
  readonly description: string;
  /** Tasks in an order that runs every producer before its consumers. */
  readonly tasks: readonly TaskNode[];
  readonly datasetTypes: ReadonlyMap<string, DatasetTypeNode>;
  readonly repositoryInputs: readonly RepositoryInputNode[];
  /** Labels of tasks that are declared but have no implementation yet. */
  readonly unimplementedTasks: readonly string[];
}

export function buildPipelineGraph(definition: PipelineDefinition, registry: TaskRegistry): PipelineGraph {
  const { file } = definition;
  const datasetTypes = new Map<string, DatasetTypeNode>();
  for (const [name, input] of Object.entries(definition.inputs)) {
    datasetTypes.set(name, { name, ...input, storageClass: input.storageClass as StorageClassName });
  }
  const nodes: TaskNode[] = [];
  for (const [label, entry] of Object.entries(definition.tasks)) {
    const task = resolveTask(file, label, entry, registry);
    const config = parseConfig(file, label, task, entry.config);
    checkConnectionNames(file, label, task, entry);
    for (const [connection, output] of Object.entries(entry.connections.outputs)) {
      const existing = datasetTypes.get(output.datasetType);
      if (existing !== undefined) {
        const by =
          existing.producer === undefined
            ? 'is a repository input'
            : `is also written by task ${existing.producer}`;
        throw new PipelineGraphError(file, `task ${label} writes ${output.datasetType}, which ${by}`);
      }
      const storageClass = output.storageClass as StorageClassName;
      expectStorageClass(
        file,
        label,
        connection,
        task.outputs[connection]?.storageClass,
        storageClass,
        output.datasetType,
      );
      datasetTypes.set(output.datasetType, {
        name: output.datasetType,
        dimensions: output.dimensions,
        storageClass,
        calibration: output.calibration,
        producer: label,
      });
    }
    const inputs = new Map(Object.entries(entry.connections.inputs));
    const outputs = new Map(Object.entries(entry.connections.outputs).map(([c, o]) => [c, o.datasetType]));
    nodes.push({ label, task, overrides: entry.config, config, inputs, outputs });
  }
  checkInputs(file, nodes, datasetTypes);
  const repositoryInputs = [...datasetTypes.values()]
    .filter((d) => d.producer === undefined)
    .map((datasetType) => ({ datasetType, required: isRequired(nodes, datasetType.name) }));
  for (const input of repositoryInputs) {
    if (!nodes.some((n) => [...n.inputs.values()].includes(input.datasetType.name))) {
      throw new PipelineGraphError(
        file,
        `input ${input.datasetType.name} is read by no task: remove it from inputs`,
      );
    }
  }
  return {
    file,
    instrument: definition.instrument,
    description: definition.description,
    tasks: topologicalOrder(file, nodes, datasetTypes),
    datasetTypes,
    repositoryInputs,
    unimplementedTasks: nodes.filter((n) => !n.task.implemented).map((n) => n.label),
  };
}

function resolveTask(file: string, label: string, entry: TaskEntry, registry: TaskRegistry): RegisteredTask {
  const task = registry.get(entry.task);
  if (task === undefined) {
    throw new PipelineDefinitionError(
      file,
      `unknown task '${entry.task}': registered tasks are ${registry.names().join(', ')}`,
      label,
      'task',
    );
  }
  return task;
}

function parseConfig(
  file: string,
  label: string,
  task: RegisteredTask,
  overrides: Record<string, unknown>,
): unknown {
  const result = task.parseConfig(overrides);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined)
    throw new PipelineDefinitionError(file, `config of task '${task.name}' is invalid`, label);
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = issue.path.map(String).join('.');
  const message =
    keys.length > 0
      ? `unknown config key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')} for task '${task.name}'`
      : `config ${path}: ${issue.message}`;
  throw new PipelineDefinitionError(file, message, label, keys[0] ?? path);
}

function checkConnectionNames(file: string, label: string, task: RegisteredTask, entry: TaskEntry): void {
  const check = (kind: 'inputs' | 'outputs', given: readonly string[]): void => {
    const declared = task[kind];
    for (const name of given) {
      if (!Object.hasOwn(declared, name)) {
        throw new PipelineDefinitionError(
          file,
          `task '${task.name}' has no ${kind.slice(0, -1)} connection '${name}': it has ${Object.keys(declared).join(', ') || 'none'}`,
          label,
          name,
        );
      }
    }
    for (const [name, spec] of Object.entries(declared)) {
      if (!given.includes(name) && spec.optional !== true) {
        throw new PipelineDefinitionError(
          file,
          `connection ${kind}.${name} is required by task '${task.name}'`,
          label,
          name,
        );
      }
    }
  };
  check('inputs', Object.keys(entry.connections.inputs));
  check('outputs', Object.keys(entry.connections.outputs));
}

function expectStorageClass(
  file: string,
  label: string,
  connection: string,
  declared: StorageClassName | undefined,
  actual: StorageClassName,
  datasetType: string,
): void {
  if (declared !== undefined && declared !== actual) {
    throw new PipelineDefinitionError(
      file,
      `connection ${connection} expects a ${declared} but ${datasetType} is a ${actual}`,
      label,
      connection,
    );
  }
}

function checkInputs(
  file: string,
  nodes: readonly TaskNode[],
  datasetTypes: ReadonlyMap<string, DatasetTypeNode>,
): void {
  for (const node of nodes) {
    for (const [connection, name] of node.inputs) {
      const datasetType = datasetTypes.get(name);
      if (datasetType === undefined) {
        throw new PipelineGraphError(
          file,
          `task ${node.label} reads ${name} (connection ${connection}), which no task writes and inputs does not list`,
        );
      }
      expectStorageClass(
        file,
        node.label,
        connection,
        node.task.inputs[connection]?.storageClass,
        datasetType.storageClass,
        name,
      );
    }
  }
}

function isRequired(nodes: readonly TaskNode[], datasetType: string): boolean {
  return nodes.some((node) =>
    [...node.inputs].some(
      ([connection, name]) => name === datasetType && node.task.inputs[connection]?.optional !== true,
    ),
  );
}

/** Kahn's algorithm, taking ready tasks in file order; what is left over lies on a cycle. */
function topologicalOrder(
  file: string,
  nodes: readonly TaskNode[],
  datasetTypes: ReadonlyMap<string, DatasetTypeNode>,
): TaskNode[] {
  const ordered: TaskNode[] = [];
  const done = new Set<string>();
  const remaining = [...nodes];
  while (remaining.length > 0) {
    const index = remaining.findIndex((node) =>
      [...node.inputs.values()].every((name) => {
        const producer = datasetTypes.get(name)?.producer;
        return producer === undefined || done.has(producer);
      }),
    );
    if (index < 0) {
      throw new PipelineGraphError(
        file,
        `tasks ${remaining.map((n) => n.label).join(', ')} form a cycle: each waits for another's output`,
      );
    }
    const [node] = remaining.splice(index, 1) as [TaskNode];
    ordered.push(node);
    done.add(node.label);
  }
  return ordered;
}
