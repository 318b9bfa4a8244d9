// The service's pipeline choice: fall back to the next pipeline only before execution.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InMemoryDatasetStore } from '../../../service/adapters/in-memory/dataset-store';
import { PipelineExecutionError } from '../../../service/pipeline/engine/errors';
import { loadPipelineGraph } from '../../../service/pipeline/engine/load-pipeline';
import {
  chooseRunnablePipeline,
  NoRunnablePipelineError,
  runFirstRunnablePipeline,
} from '../../../service/pipeline/run-first-runnable';
import type { DataId } from '../../../service/ports/dataset-repository';
import { toyRegistry } from './toy-tasks';

const DIMS = '[instrument, visit, detector]';
const DATA_ID = {
  instrument: 'LSSTCam',
  visit: 7,
  exposure: 7,
  detector: 94,
  band: 'r',
  skymap: 'lsst_cells_v1',
};

/** Like ApPipe: needs a template coadd (tract/patch unknown to the data ID) besides the raw. */
const AP_PIPE = `
description: needs a template
instrument: LSSTCam
inputs:
  raw: {dimensions: [instrument, exposure, detector], storageClass: DataFrame}
  template_coadd: {dimensions: [skymap, tract, patch, band], storageClass: DataFrame}
tasks:
  diff:
    task: sum
    connections:
      inputs: {left: raw, right: template_coadd}
      outputs: {output: {datasetType: difference, dimensions: ${DIMS}, storageClass: DataFrame}}
`;

/** Like SingleFrame: the raw is enough. */
const SINGLE_FRAME = `
description: raw only
instrument: LSSTCam
inputs:
  raw: {dimensions: [instrument, exposure, detector], storageClass: DataFrame}
tasks:
  calibrate:
    task: add
    connections:
      inputs: {input: raw}
      outputs: {output: {datasetType: calexp, dimensions: ${DIMS}, storageClass: DataFrame}}
`;

let dir: string;
const file = (name: string): string => join(dir, `${name}.yaml`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pipelines-'));
  writeFileSync(file('ApPipe'), AP_PIPE);
  writeFileSync(file('SingleFrame'), SINGLE_FRAME);
  writeFileSync(file('Failing'), SINGLE_FRAME.replace('task: add', 'task: fail'));
  writeFileSync(file('Unimplemented'), SINGLE_FRAME.replace('task: add', 'task: later'));
  writeFileSync(file('Broken'), SINGLE_FRAME.replace('task: add', 'task: addd'));
  writeFileSync(file('Empty'), 'description: nothing\ninstrument: LSSTCam\ntasks: {}\n');
});

async function storeWith(...datasetTypes: string[]): Promise<InMemoryDatasetStore> {
  const store = new InMemoryDatasetStore();
  for (const datasetType of datasetTypes) {
    const dataId: DataId =
      datasetType === 'template_coadd'
        ? { skymap: 'lsst_cells_v1', tract: 9813, patch: 40, band: 'r' }
        : { instrument: 'LSSTCam', exposure: 7, detector: 94 };
    await store.put('in', { datasetType, dataId }, 'DataFrame', { value: 1 });
  }
  return store;
}

describe('choosing a pipeline before execution', () => {
  it('takes ApPipe when a template overlaps, whatever its tract and patch', async () => {
    const { registry } = toyRegistry();
    const choice = await chooseRunnablePipeline({
      files: [file('ApPipe'), file('SingleFrame')],
      load: (f) => loadPipelineGraph(f, registry),
      store: await storeWith('raw', 'template_coadd'),
      dataId: DATA_ID,
    });
    expect(choice.graph.file).toBe(file('ApPipe'));
    expect(choice.skipped).toEqual([]);
  });

  it('falls back to SingleFrame when the template is missing, saying why', async () => {
    const { registry } = toyRegistry();
    const choice = await chooseRunnablePipeline({
      files: [file('ApPipe'), file('SingleFrame')],
      load: (f) => loadPipelineGraph(f, registry),
      store: await storeWith('raw'),
      dataId: DATA_ID,
    });
    expect(choice.graph.file).toBe(file('SingleFrame'));
    expect(choice.skipped).toEqual([
      {
        file: file('ApPipe'),
        reason: 'missing inputs: template_coadd {"skymap":"lsst_cells_v1","band":"r"} (read by diff)',
      },
    ]);
  });

  it('skips files that are missing, do not build, are empty or have unimplemented tasks', async () => {
    const { registry } = toyRegistry();
    const choice = await chooseRunnablePipeline({
      files: [file('Nope'), file('Broken'), file('Empty'), file('Unimplemented'), file('SingleFrame')],
      load: (f) => loadPipelineGraph(f, registry),
      store: await storeWith('raw'),
      dataId: DATA_ID,
    });
    expect(choice.graph.file).toBe(file('SingleFrame'));
    expect(choice.skipped.map((s) => s.reason)).toEqual([
      'file not found',
      expect.stringMatching(/Broken.yaml: task calibrate: unknown task 'addd'/),
      'the graph is empty',
      'tasks declared but not implemented yet: calibrate',
    ]);
  });

  it('fails with NoRunnablePipelineError listing every reason when nothing can run', async () => {
    const { registry } = toyRegistry();
    const error = await chooseRunnablePipeline({
      files: [file('ApPipe'), file('SingleFrame')],
      load: (f) => loadPipelineGraph(f, registry),
      store: new InMemoryDatasetStore(),
      dataId: DATA_ID,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoRunnablePipelineError);
    expect((error as NoRunnablePipelineError).skipped).toHaveLength(2);
    expect((error as Error).message).toMatch(
      /none of the pipelines can run: .*ApPipe.yaml: missing inputs: raw .*SingleFrame.yaml: missing inputs: raw/,
    );
  });
});

describe('running with fallback', () => {
  it('executes the chosen pipeline into its run', async () => {
    const { registry, ran } = toyRegistry();
    const store = await storeWith('raw');
    const outcome = await runFirstRunnablePipeline({
      files: [file('ApPipe'), file('SingleFrame')],
      load: (f) => loadPipelineGraph(f, registry),
      store,
      dataId: DATA_ID,
      runFor: (graph) =>
        `LSSTCam/prompt/output-2025-12-01/${graph.file.endsWith('ApPipe.yaml') ? 'ApPipe' : 'SingleFrame'}/local`,
    });
    expect(ran).toEqual(['add']);
    expect(outcome.report.run).toBe('LSSTCam/prompt/output-2025-12-01/SingleFrame/local');
    expect(await store.get({ datasetType: 'calexp', dataId: { visit: 7 } })).toEqual({ value: 2 });
  });

  it('fails without falling back once execution has started', async () => {
    const { registry, ran } = toyRegistry();
    const error = await runFirstRunnablePipeline({
      files: [file('Failing'), file('SingleFrame')],
      load: (f) => loadPipelineGraph(f, registry),
      store: await storeWith('raw'),
      dataId: DATA_ID,
      runFor: () => 'run',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineExecutionError);
    expect(ran).toEqual(['fail']);
  });
});
