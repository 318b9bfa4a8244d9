import { describe, expect, it } from 'vitest';
import { InMemoryDatasetStore } from '../../../service/adapters/in-memory/dataset-store';
import {
  PipelineAbortedError,
  PipelineDefinitionError,
  PipelineExecutionError,
  PipelineGraphError,
  TaskNotImplementedError,
} from '../../../service/pipeline/engine/errors';
import { executePipeline } from '../../../service/pipeline/engine/execute-pipeline';
import { findMissingInputs } from '../../../service/pipeline/engine/missing-inputs';
import { parsePipeline } from '../../../service/pipeline/engine/pipeline-file';
import { buildPipelineGraph } from '../../../service/pipeline/engine/pipeline-graph';
import { laterTask, toyRegistry } from './toy-tasks';

const FILE = 'pipelines/LSSTCam/Toy.yaml';
const DATA_ID = { instrument: 'LSSTCam', exposure: 2025120100042, visit: 2025120100042, detector: 94 };
const DIMS = '[instrument, visit, detector]';

/** A three-task pipeline written out of order: c reads b's output, b reads a's. */
const TOY = `
description: toy pipeline
instrument: LSSTCam
inputs:
  seed: {dimensions: [instrument, detector], storageClass: DataFrame}
tasks:
  c:
    task: sum
    connections:
      inputs: {left: b_out, right: a_out}
      outputs: {output: {datasetType: c_out, dimensions: ${DIMS}, storageClass: DataFrame}}
  b:
    task: add
    config: {amount: 10}
    connections:
      inputs: {input: a_out}
      outputs: {output: {datasetType: b_out, dimensions: ${DIMS}, storageClass: DataFrame}}
  a:
    task: add
    connections:
      inputs: {input: seed}
      outputs: {output: {datasetType: a_out, dimensions: ${DIMS}, storageClass: DataFrame}}
`;

function build(text: string, registry = toyRegistry().registry) {
  return buildPipelineGraph(parsePipeline(text, FILE), registry);
}

function definitionError(text: string): PipelineDefinitionError {
  try {
    build(text);
  } catch (error) {
    if (error instanceof PipelineDefinitionError) return error;
    throw error;
  }
  throw new Error('expected a PipelineDefinitionError');
}

async function seededStore(): Promise<InMemoryDatasetStore> {
  const store = new InMemoryDatasetStore();
  await store.put(
    'LSSTCam/calib',
    { datasetType: 'seed', dataId: { instrument: 'LSSTCam', detector: 94 } },
    'DataFrame',
    {
      value: 5,
    },
  );
  return store;
}

describe('pipeline graph', () => {
  it('orders tasks so producers run first, whatever the file order', () => {
    const graph = build(TOY);
    expect(graph.tasks.map((t) => t.label)).toEqual(['a', 'b', 'c']);
    expect(graph.repositoryInputs.map((i) => [i.datasetType.name, i.required])).toEqual([['seed', true]]);
    expect(graph.datasetTypes.get('b_out')?.producer).toBe('b');
    expect(graph.tasks[1]?.config).toEqual({ amount: 10 });
    expect(graph.tasks[0]?.config).toEqual({ amount: 1 });
  });

  it('fails on a cycle, naming the tasks on it', () => {
    const cyclic = TOY.replace('inputs: {input: seed}', 'inputs: {input: c_out}').replace(
      '{left: b_out, right: a_out}',
      '{left: b_out, right: a_out, extra: seed}',
    );
    expect(() => build(cyclic)).toThrow(PipelineGraphError);
    expect(() => build(cyclic)).toThrow(/Toy.yaml: tasks c, b, a form a cycle/);
  });

  it('fails on a dangling input that no task writes and inputs does not list', () => {
    const dangling = TOY.replace('inputs: {input: seed}', 'inputs: {input: sed}');
    expect(() => build(dangling)).toThrow(/task a reads sed \(connection input\), which no task writes/);
  });

  it('fails when two tasks write one dataset type, or a task writes a repository input', () => {
    expect(() => build(TOY.replace('datasetType: b_out', 'datasetType: a_out'))).toThrow(
      /also written by task/,
    );
    expect(() => build(TOY.replace('datasetType: a_out', 'datasetType: seed'))).toThrow(
      /is a repository input/,
    );
  });

  it('fails on a repository input that no task reads', () => {
    const unused = TOY.replace(
      'inputs:\n  seed:',
      'inputs:\n  unused: {dimensions: [instrument], storageClass: DataFrame}\n  seed:',
    );
    expect(() => build(unused)).toThrow(/input unused is read by no task/);
  });
});

describe('pipeline definition errors name the file, task and key', () => {
  it('fails on YAML that does not parse', () => {
    const error = definitionError('tasks: [unclosed');
    expect(error.file).toBe(FILE);
    expect(error.message).toMatch(/Toy.yaml: is not valid YAML/);
  });

  it('fails on an unknown task name, listing the registered ones', () => {
    const error = definitionError(TOY.replace('task: sum', 'task: summ'));
    expect(error.task).toBe('c');
    expect(error.message).toMatch(
      /Toy.yaml: task c: unknown task 'summ': registered tasks are add, fail, later, sum/,
    );
  });

  it('fails on an unknown config key', () => {
    const error = definitionError(TOY.replace('config: {amount: 10}', 'config: {amount: 10, amonut: 3}'));
    expect(error.task).toBe('b');
    expect(error.key).toBe('amonut');
    expect(error.message).toMatch(/task b: unknown config key 'amonut' for task 'add'/);
  });

  it('fails on a config value of the wrong type', () => {
    const error = definitionError(TOY.replace('config: {amount: 10}', "config: {amount: 'ten'}"));
    expect(error.key).toBe('amount');
    expect(error.message).toMatch(/task b: config amount: /);
  });

  it('fails on an unknown key in the pipeline or task entry', () => {
    expect(definitionError(`${TOY}\nextra: 1`).message).toMatch(/unknown key 'extra' at the top level/);
    const error = definitionError(TOY.replace('    task: sum', '    task: sum\n    comment: x'));
    expect(error.task).toBe('c');
    expect(error.key).toBe('comment');
  });

  it('fails on connections the task does not have or lacks', () => {
    expect(
      definitionError(TOY.replace('{left: b_out, right: a_out}', '{left: b_out, rihgt: a_out}')).message,
    ).toMatch(/task 'sum' has no input connection 'rihgt': it has left, right, extra/);
    expect(definitionError(TOY.replace('{left: b_out, right: a_out}', '{left: b_out}')).message).toMatch(
      /connection inputs.right is required by task 'sum'/,
    );
  });

  it('fails on a storage class that does not match the connection', () => {
    const error = definitionError(
      TOY.replace(
        'seed: {dimensions: [instrument, detector], storageClass: DataFrame}',
        'seed: {dimensions: [instrument, detector], storageClass: Exposure}',
      ),
    );
    expect(error.message).toMatch(/task a: connection input expects a DataFrame but seed is a Exposure/);
  });

  it('fails on an unknown dimension or instrument', () => {
    expect(definitionError(TOY.replace('[instrument, detector]', '[instrument, detecter]')).message).toMatch(
      /inputs.seed.dimensions.1/,
    );
    expect(definitionError(TOY.replace('instrument: LSSTCam', 'instrument: DECam')).message).toMatch(
      /instrument: /,
    );
  });
});

describe('missing inputs', () => {
  it('lists required inputs the repository lacks, and optional ones separately', async () => {
    const withExtra = TOY.replace(
      'inputs: {left: b_out, right: a_out}',
      'inputs: {left: b_out, right: a_out, extra: bonus}',
    ).replace(
      'inputs:\n  seed:',
      'inputs:\n  bonus: {dimensions: [instrument], storageClass: DataFrame}\n  seed:',
    );
    const graph = build(withExtra);
    const empty = await findMissingInputs(graph, DATA_ID, new InMemoryDatasetStore());
    expect(empty.missing.map((m) => [m.ref.datasetType, m.ref.dataId, m.readBy])).toEqual([
      ['seed', { instrument: 'LSSTCam', detector: 94 }, ['a']],
    ]);
    expect(empty.absentOptional.map((m) => m.ref.datasetType)).toEqual(['bonus']);
    const seeded = await findMissingInputs(graph, DATA_ID, await seededStore());
    expect(seeded.missing).toEqual([]);
    const otherDetector = await findMissingInputs(graph, { ...DATA_ID, detector: 95 }, await seededStore());
    expect(otherDetector.missing.map((m) => m.ref.datasetType)).toEqual(['seed']);
  });
});

describe('execution', () => {
  it('runs tasks in order, writes every output into the run and times each task', async () => {
    const { registry, ran } = toyRegistry();
    const store = await seededStore();
    let clock = 0;
    const report = await executePipeline(build(TOY, registry), {
      dataId: DATA_ID,
      store,
      run: 'LSSTCam/prompt/output-2025-12-01/Toy/local',
      now: () => (clock += 7),
    });
    expect(ran).toEqual(['add', 'add', 'sum']);
    expect(report.tasks.map((t) => [t.label, t.milliseconds])).toEqual([
      ['a', 7],
      ['b', 7],
      ['c', 7],
    ]);
    const c = await store.get({
      datasetType: 'c_out',
      dataId: { instrument: 'LSSTCam', visit: 2025120100042, detector: 94 },
    });
    expect(c).toEqual({ value: 5 + 1 + 10 + (5 + 1) });
    expect(
      store
        .datasets()
        .filter((d) => d.run === report.run)
        .map((d) => d.datasetType),
    ).toEqual(['a_out', 'b_out', 'c_out']);
    expect(report.outputs[0]?.dataId).toEqual({ instrument: 'LSSTCam', visit: 2025120100042, detector: 94 });
  });

  it('writes only the outputs it is told to persist, and still hands the others to later tasks', async () => {
    const { registry } = toyRegistry();
    const store = await seededStore();
    const report = await executePipeline(build(TOY, registry), {
      dataId: DATA_ID,
      store,
      run: 'LSSTCam/prompt/output-2025-12-01/Toy/local',
      persist: (datasetType) => datasetType === 'c_out',
    });
    expect(report.outputs.map((r) => r.datasetType)).toEqual(['c_out']);
    expect(
      store
        .datasets()
        .filter((d) => d.run === report.run)
        .map((d) => d.datasetType),
    ).toEqual(['c_out']);
    const c = await store.get({
      datasetType: 'c_out',
      dataId: { instrument: 'LSSTCam', visit: 2025120100042, detector: 94 },
    });
    expect(c).toEqual({ value: 5 + 1 + 10 + (5 + 1) });
  });

  it('stops between tasks when the signal aborts, keeping what earlier tasks wrote', async () => {
    const { registry, ran } = toyRegistry();
    const store = await seededStore();
    const controller = new AbortController();
    let clock = 0;
    const run = executePipeline(build(TOY, registry), {
      dataId: DATA_ID,
      store,
      run: 'r',
      signal: controller.signal,
      now: () => {
        clock++;
        // The second reading is the end of task a: abort while a is finishing.
        if (clock === 3) controller.abort(new Error('worker timeout'));
        return clock;
      },
    });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineAbortedError);
    expect((error as PipelineAbortedError).completedTasks).toEqual(['a']);
    expect((error as Error).message).toMatch(/aborted after 1 task\(s\) \[a\]: Error: worker timeout/);
    expect(ran).toEqual(['add']);
    expect(store.datasets().map((d) => d.datasetType)).toEqual(['seed', 'a_out']);
  });

  it('fails with PipelineExecutionError naming the task when a task throws', async () => {
    const { registry } = toyRegistry();
    const failing = TOY.replace('task: sum', 'task: fail').replace(
      '{left: b_out, right: a_out}',
      '{input: b_out}',
    );
    const error = await executePipeline(build(failing, registry), {
      dataId: DATA_ID,
      store: await seededStore(),
      run: 'r',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineExecutionError);
    expect((error as Error).message).toBe(`${FILE}: task c: failed: the detector is on fire`);
  });

  it('fails when a task returns an output of the wrong storage class', async () => {
    const { registry } = toyRegistry();
    registry.declare({ ...laterTask, name: 'liar' }, () => ({ output: 42 }));
    const liar = TOY.replace('task: sum', 'task: liar').replace(
      '{left: b_out, right: a_out}',
      '{input: b_out}',
    );
    await expect(
      executePipeline(build(liar, registry), { dataId: DATA_ID, store: await seededStore(), run: 'r' }),
    ).rejects.toThrow(/task c: output output \(c_out\) is not a DataFrame/);
  });

  it('fails to write an output twice into one run (runs are write-once)', async () => {
    const { registry } = toyRegistry();
    const graph = build(TOY, registry);
    const store = await seededStore();
    await executePipeline(graph, { dataId: DATA_ID, store, run: 'r' });
    await expect(executePipeline(graph, { dataId: DATA_ID, store, run: 'r' })).rejects.toThrow(
      /task a: writing a_out failed: a_out .* already exists in run r: write to a new run/,
    );
  });

  it('fails when an output needs a dimension the data ID does not give', async () => {
    const { registry } = toyRegistry();
    const graph = build(TOY, registry);
    const { visit: _visit, ...noVisit } = DATA_ID;
    await expect(
      executePipeline(graph, { dataId: noVisit, store: await seededStore(), run: 'r' }),
    ).rejects.toThrow(/output a_out needs dimension visit, which the data ID does not give/);
  });

  it('refuses to execute a declared task without an implementation, and runs it once implemented', async () => {
    const { registry } = toyRegistry();
    const text = TOY.replace('task: sum', 'task: later').replace(
      '{left: b_out, right: a_out}',
      '{input: b_out}',
    );
    const graph = build(text, registry);
    expect(graph.unimplementedTasks).toEqual(['c']);
    await expect(
      executePipeline(graph, { dataId: DATA_ID, store: await seededStore(), run: 'r' }),
    ).rejects.toThrow(TaskNotImplementedError);
    registry.implement(laterTask, (inputs) => ({
      output: { value: -(inputs.get('input') as { value: number }).value },
    }));
    const rebuilt = build(text, registry);
    expect(rebuilt.unimplementedTasks).toEqual([]);
    const store = await seededStore();
    await executePipeline(rebuilt, { dataId: DATA_ID, store, run: 'r' });
    expect(await store.get({ datasetType: 'c_out', dataId: { visit: 2025120100042 } })).toEqual({
      value: -16,
    });
  });

  it('fails to implement a task with connections other than declared, or twice', () => {
    const { registry } = toyRegistry();
    expect(() =>
      registry.implement({ ...laterTask, outputs: { result: { storageClass: 'DataFrame' } } }, () => ({})),
    ).toThrow(/changes its connections \(outputs.output, outputs.result\)/);
    expect(() => registry.implement({ ...laterTask, name: 'nope' }, () => ({}))).toThrow(/is not declared/);
    registry.implement(laterTask, () => ({}));
    expect(() => registry.implement(laterTask, () => ({}))).toThrow(/already has an implementation/);
  });
});

describe('a visit of several exposures (snaps)', () => {
  const SNAPS = [2025120100042, 2025120100043];
  const VISIT_ID = { instrument: 'LSSTCam', visit: DATA_ID.visit, detector: 94 };
  const EXPOSURE_DIMS = '[instrument, exposure, detector]';
  /** Per exposure: raw + 1; per visit: the sum over the snaps (multiple), then + 100 (plain). */
  const SNAP_PIPELINE = `
description: snaps
instrument: LSSTCam
inputs:
  raw: {dimensions: ${EXPOSURE_DIMS}, storageClass: DataFrame}
tasks:
  isr:
    task: add
    connections:
      inputs: {input: raw}
      outputs: {output: {datasetType: post_isr, dimensions: ${EXPOSURE_DIMS}, storageClass: DataFrame}}
  combine:
    task: sumAll
    connections:
      inputs: {inputs: post_isr}
      outputs: {output: {datasetType: visit_image, dimensions: ${DIMS}, storageClass: DataFrame}}
  later:
    task: add
    config: {amount: 100}
    connections:
      inputs: {input: visit_image}
      outputs: {output: {datasetType: final, dimensions: ${DIMS}, storageClass: DataFrame}}
`;

  async function rawStore(exposures: readonly number[]): Promise<InMemoryDatasetStore> {
    const store = new InMemoryDatasetStore();
    for (const [i, exposure] of exposures.entries()) {
      await store.put(
        'LSSTCam/raw/all',
        { datasetType: 'raw', dataId: { instrument: 'LSSTCam', detector: 94, exposure } },
        'DataFrame',
        { value: 10 * (i + 1) },
      );
    }
    return store;
  }

  it('runs exposure-level tasks once per snap and hands a multiple connection every snap', async () => {
    const { registry, ran } = toyRegistry();
    const store = await rawStore(SNAPS);
    const report = await executePipeline(build(SNAP_PIPELINE, registry), {
      dataId: DATA_ID,
      exposures: SNAPS,
      store,
      run: 'r',
    });
    expect(ran).toEqual(['add', 'add', 'sumAll', 'add']);
    expect(report.outputs.map((r) => [r.datasetType, r.dataId.exposure])).toEqual([
      ['post_isr', SNAPS[0]],
      ['post_isr', SNAPS[1]],
      ['visit_image', undefined],
      ['final', undefined],
    ]);
    // (10 + 1) + (20 + 1), then + 100
    expect(await store.get({ datasetType: 'final', dataId: VISIT_ID })).toEqual({ value: 132 });
    expect(report.tasks.map((t) => t.label)).toEqual(['isr', 'combine', 'later']);
  });

  it('checks every snap for missing inputs', async () => {
    const graph = build(SNAP_PIPELINE);
    const store = await rawStore(SNAPS.slice(0, 1));
    const { missing } = await findMissingInputs(graph, DATA_ID, store, SNAPS);
    expect(missing.map((m) => m.ref.dataId.exposure)).toEqual([SNAPS[1]]);
  });

  it('fails when a visit-level task reads several snaps through a plain connection', async () => {
    const plain = SNAP_PIPELINE.replace('task: sumAll', 'task: add').replace(
      '{inputs: post_isr}',
      '{input: post_isr}',
    );
    const store = await rawStore(SNAPS);
    await expect(
      executePipeline(build(plain), { dataId: DATA_ID, exposures: SNAPS, store, run: 'r' }),
    ).rejects.toThrow(/has 2 exposures \(snaps\) but connection input takes one/);
  });

  it('reads a one-snap visit through a plain connection as before', async () => {
    const plain = SNAP_PIPELINE.replace('task: sumAll', 'task: add').replace(
      '{inputs: post_isr}',
      '{input: post_isr}',
    );
    const store = await rawStore([DATA_ID.exposure]);
    await executePipeline(build(plain), { dataId: DATA_ID, store, run: 'r' });
    expect(await store.get({ datasetType: 'final', dataId: VISIT_ID })).toEqual({ value: 112 });
  });
});
