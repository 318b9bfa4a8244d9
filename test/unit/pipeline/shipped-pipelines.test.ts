// Every pipeline file in pipelines/ builds with the service's task registry (upstream's
// test_pipelines), and the instrument catalog only names pipelines that exist.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INSTRUMENT_NAMES, INSTRUMENTS } from '../../../service/domain/instruments';
import { loadPipelineGraph } from '../../../service/pipeline/engine/load-pipeline';
import { defaultTaskRegistry } from '../../../service/pipeline/tasks/default-task-registry';
import { repoRoot } from '../../support/local-services';

const PIPELINES = join(repoRoot, 'pipelines');
const files = readdirSync(PIPELINES, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('shipped pipelines', () => {
  it('include ApPipe, SingleFrame, Isr and Preprocessing for every instrument', () => {
    for (const instrument of INSTRUMENT_NAMES) {
      for (const name of ['ApPipe', 'SingleFrame', 'Isr', 'Preprocessing']) {
        expect(files).toContain(join(instrument, `${name}.yaml`));
      }
      const { main, preprocessing } = INSTRUMENTS[instrument].pipelines;
      for (const name of [...main, ...preprocessing])
        expect(existsSync(join(PIPELINES, instrument, `${name}.yaml`))).toBe(true);
    }
  });

  it.each(files)('%s builds, for its own instrument', async (file) => {
    const graph = await loadPipelineGraph(join(PIPELINES, file), defaultTaskRegistry());
    expect(graph.tasks.length).toBeGreaterThan(0);
    expect(graph.instrument).toBe(file.split('/')[0]);
  });

  it('ApPipe needs a template; differencing is implemented, association waits for the APDB and publisher', async () => {
    for (const instrument of INSTRUMENT_NAMES) {
      const graph = await loadPipelineGraph(
        join(PIPELINES, instrument, 'ApPipe.yaml'),
        defaultTaskRegistry(),
      );
      const template = graph.repositoryInputs.find((i) => i.datasetType.name === 'template_coadd');
      expect(template?.required).toBe(true);
      expect(template?.datasetType.dimensions).toEqual(['skymap', 'tract', 'patch', 'band']);
      expect(graph.unimplementedTasks).toContain('associateApdb');
      for (const task of ['getTemplate', 'subtractImages', 'detectAndMeasureDiaSources']) {
        expect(graph.unimplementedTasks).not.toContain(task);
      }
      for (const name of ['preloaded_dia_objects', 'preloaded_dia_sources', 'preloaded_dia_forced_sources']) {
        const preloaded = graph.repositoryInputs.find((i) => i.datasetType.name === name);
        expect(preloaded?.required).toBe(false);
      }
      const refcat = graph.repositoryInputs.find((i) => i.datasetType.name === 'refcat');
      expect(refcat?.required).toBe(false);
    }
  });

  it('SingleFrame runs ISR, snap combination, background, PSF, detection and astrometry in that order', async () => {
    const graph = await loadPipelineGraph(
      join(PIPELINES, 'LSSTCam', 'SingleFrame.yaml'),
      defaultTaskRegistry(),
    );
    expect(graph.tasks.map((t) => t.label)).toEqual([
      'isr',
      'combineSnaps',
      'subtractBackground',
      'measurePsf',
      'detectAndMeasure',
      'fitAstrometry',
    ]);
    expect(graph.unimplementedTasks).toEqual([]);
    const defects = graph.repositoryInputs.find((i) => i.datasetType.name === 'defects');
    expect([defects?.required, defects?.datasetType.storageClass]).toEqual([false, 'Defects']);
  });

  it('Isr and SingleFrame are runnable for every instrument; ApPipe is not', async () => {
    for (const instrument of INSTRUMENT_NAMES) {
      const load = (name: string) =>
        loadPipelineGraph(join(PIPELINES, instrument, `${name}.yaml`), defaultTaskRegistry());
      expect((await load('Isr')).unimplementedTasks).toEqual([]);
      expect((await load('SingleFrame')).unimplementedTasks).toEqual([]);
      expect((await load('ApPipe')).unimplementedTasks).not.toContain('isr');
      expect((await load('ApPipe')).unimplementedTasks.length).toBeGreaterThan(0);
    }
  });
});
